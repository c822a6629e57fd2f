"""Build `assets/dialect.tsv`: American/British spelling pairs (color/colour, realize/realise...)
from the Hunspell en_US and en_GB dictionaries, for the checker's dialect setting.

    python -m edgemodel.train.dialect --data ../shared/data --out assets/dialect.tsv
"""
from __future__ import annotations

import argparse
from pathlib import Path

from edgemodel.train.corpus import DEFAULT_DATA
from edgemodel.train.noise import dialect_norm, expand_hunspell


def pairs(lexical: Path) -> list[tuple[str, str]]:
    us = {w for w in expand_hunspell(lexical / "hunspell" / "en_US.dic", lexical / "hunspell" / "en_US.aff") if w.islower()}
    gb = {w for w in expand_hunspell(lexical / "hunspell" / "en_GB.dic", lexical / "hunspell" / "en_GB.aff") if w.islower()}
    us_only, gb_only = us - gb, gb - us
    by_norm: dict[str, list[str]] = {}
    for w in gb_only:
        by_norm.setdefault(dialect_norm(w), []).append(w)
    out = []
    for w in sorted(us_only):
        matches = [g for g in by_norm.get(dialect_norm(w), []) if g != w]
        if len(matches) == 1:  # ambiguous pairs are left out: better no suggestion than a wrong one
            out.append((w, matches[0]))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("assets/dialect.tsv"))
    args = ap.parse_args(argv)
    found = pairs(args.data / "lexical")
    args.out.write_text("# en-US\ten-GB (from the SCOWL-based Hunspell dictionaries)\n" +
                        "".join(f"{a}\t{b}\n" for a, b in found), encoding="utf-8")
    print(f"{len(found)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
