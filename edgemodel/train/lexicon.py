"""Build `assets/lexicon.npz`, the spell checker's word list (see edgemodel.spelling).

    python -m edgemodel.train.lexicon --data ../shared/data --out assets/lexicon.npz

Only sources whose licence allows shipping them: Hunspell en_US (SCOWL) and en_GB (MPL),
wordfreq (CC BY-SA 4.0), the codespell (CC BY-SA 3.0), cspell and TOEFL-Spell (CC BY-SA 4.0)
misspelling lists. Not Birkbeck (research use) nor After the Deadline (GPL).
"""
from __future__ import annotations

import argparse
import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np

from edgemodel.spelling import SLIPS, WORD, edits1, hash_array, slip
from edgemodel.train.corpus import DEFAULT_DATA
from edgemodel.train.noise import expand_hunspell, is_dialect_variant, read_wordfreq


def _first_suggestion(line: str):
    """`wrong->right1, right2,` (codespell, cspell) -> [(wrong, right1)]; right1 may be two words."""
    wrong, arrow, rhs = line.strip().partition("->")
    right = rhs.split(",")[0].strip()
    return [(wrong.strip(), right)] if arrow and right and not line.startswith("#") else []


def misspelling_pairs(lexical: Path):
    """(wrong, right) from the shippable lists: the first suggestion of codespell and cspell, and
    the TOEFL-Spell learner misspellings."""
    for line in (lexical / "codespell_dictionary.txt").read_text(encoding="utf-8").splitlines():
        yield from _first_suggestion(line)
    data = json.loads((lexical / "cspell_common_misspellings_en.json").read_text(encoding="utf-8"))
    for dd in data.get("dictionaryDefinitions", [data]):
        for key in ("flagWords", "suggestWords"):
            for line in dd.get(key, []):
                yield from _first_suggestion(line)
    yield from learner_misspellings(lexical)


def learner_misspellings(lexical: Path):
    """(wrong, right) misspellings of TOEFL test takers (TOEFL-Spell)."""
    for line in (lexical / "toefl_spell_annotations.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 5 and cols[3].startswith("M"):
            yield cols[2].strip(), cols[4].strip()


def slip_rates(pairs, zipf: dict[str, float]) -> np.ndarray:
    """For each kind of slip (edgemodel.spelling.SLIPS): of the common words it would turn into the
    misspellings, the share that was the word meant (smoothed). Learners leave out a vowel or a
    doubled letter far more often than they get a first letter wrong."""
    meant, possible = np.ones(len(SLIPS)), np.full(len(SLIPS), 2.0)
    for wrong, right in pairs:
        wrong, right = wrong.lower(), right.lower()
        candidates = [c for c in edits1(wrong) - {wrong} if zipf.get(c, 0.0) >= 2.0]
        if right in candidates:
            meant[slip(wrong, right)] += 1
            for c in candidates:
                possible[slip(wrong, c)] += 1
    return (meant / possible).astype(np.float32)


# Known words that are never suggested as a correction (slurs one edit away from ordinary words).
NEVER_SUGGEST = frozenset("""nigger niggers nigga fag fags faggot faggots retard retards kike kikes spic spics
chink chinks tranny trannies cunt cunts twat twats whore whores slut sluts bitch bitches""".split())


def build(lexical: Path) -> dict[str, np.ndarray]:
    words = set()
    for name in ("en_US", "en_GB"):
        words |= expand_hunspell(lexical / "hunspell" / f"{name}.dic", lexical / "hunspell" / f"{name}.aff")
    zipf = read_wordfreq(lexical / "wordfreq_en_top100k_zipf.tsv")
    fixes: dict[str, str] = {}
    for wrong, right in misspelling_pairs(lexical):
        if right.islower():
            wrong = wrong.lower()
        if (len(wrong) >= 3 and WORD.fullmatch(wrong) and all(r in words for r in right.split(" ")) and wrong not in fixes
                and not {wrong, wrong.lower(), wrong.capitalize()} & words and not is_dialect_variant(wrong, right)):
            fixes[wrong] = right
    # Suggested: dictionary words, by frequency. Known but never suggested: frequent words of the web
    # the dictionaries lack (names, foreign words, new words), unless they are common misspellings.
    suggest = {w: zipf.get(w, zipf.get(w.lower(), 0.0)) if w.lower() not in NEVER_SUGGEST else 0.0 for w in words}
    suggest.update({w: 0.0 for w in zipf if w not in words and w not in fixes and WORD.fullmatch(w)})
    ordered = sorted(suggest)
    h = hash_array(ordered)
    order = np.argsort(h)
    assert len(np.unique(h)) == len(h), "64-bit hash collision in the word list"
    freq = np.array([round(10 * suggest[w]) for w in ordered], dtype=np.uint8)
    targets = sorted(set(fixes.values()))
    index = {t: i for i, t in enumerate(targets)}
    wrongs = sorted(fixes)
    fh = hash_array(wrongs)
    forder = np.argsort(fh)
    encoded = [t.encode("utf-8") for t in targets]
    return {"words": h[order], "zipf": freq[order], "fixes": fh[forder],
            "fix_to": np.array([index[fixes[w]] for w in wrongs], dtype=np.uint32)[forder],
            "targets": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            "target_starts": np.cumsum([0] + [len(t) for t in encoded], dtype=np.uint32),
            "channel": slip_rates(learner_misspellings(lexical), {w: z for w, z in suggest.items() if z > 0})}


def save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An uncompressed .npz whose arrays start at 64-byte boundaries of the file, so that run time
    can memory-map them in place (edgemodel.spelling): numpy copies a misaligned array whole on
    every search (230 us instead of 1 us a lookup)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array))
            data = buf.getvalue()
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2020, 1, 1, 0, 0, 0))
            # local header (30 bytes) + name + extra field (4-byte head + padding) + .npy header
            start = z.fp.tell() + 30 + len(info.filename) + 4 + len(data) - array.nbytes
            info.extra = struct.pack("<HH", 0xCAFE, -start % 64) + bytes(-start % 64)
            z.writestr(info, data)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("assets/lexicon.npz"))
    args = ap.parse_args(argv)
    arrays = build(args.data / "lexical")
    save(args.out, arrays)
    print(f"{len(arrays['words'])} words, {len(arrays['fixes'])} misspellings -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
