"""Quality baseline: aspell's first suggestion for every word it flags, scored on the dev sets
like the model (edgemodel.evaluate), so the two can be compared in one table.

    python benchmarks/aspell_baseline.py [--data ../shared/data] [--out benchmarks/results/aspell.json]

Needs `aspell` with an English dictionary (apt-get install aspell aspell-en).
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from edgemodel.evaluate import evaluate, format_table
from edgemodel.train.corpus import DEFAULT_DATA


def aspell_correct(sentences: list[str]) -> list[str]:
    """Each sentence with aspell's first suggestion applied to each word it flags (pipe mode)."""
    proc = subprocess.Popen(["aspell", "-a", "--lang=en"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, encoding="utf-8", bufsize=1)
    proc.stdout.readline()   # version banner
    out = []
    for s in sentences:
        proc.stdin.write("^" + s.replace("\n", " ") + "\n")   # "^": the line is text, never a command
        proc.stdin.flush()
        fixes = []
        for line in iter(proc.stdout.readline, "\n"):
            if line.startswith("&"):       # & word count offset: first, second, ...
                head, _, suggestions = line.partition(": ")
                _, word, _, offset = head.split()
                fixes.append((int(offset) - 1, word, suggestions.split(", ")[0].strip()))
        for offset, word, fix in sorted(fixes, reverse=True):
            s = s[:offset] + fix + s[offset + len(word):]
        out.append(s)
    proc.stdin.close()
    proc.wait()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/aspell.json"))
    args = ap.parse_args()
    scores = evaluate(aspell_correct, args.data)
    print(format_table({"aspell": scores}))
    args.out.write_text(json.dumps(scores, indent=2) + "\n")


if __name__ == "__main__":
    main()
