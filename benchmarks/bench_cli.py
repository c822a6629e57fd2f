"""CLI throughput: `proofline check` on a ~50k-word document (about 100 pages) against `aspell list`.

Builds the document from ../shared/data/clean/wiki.dev.txt and brown.dev.txt (paragraphs of 3-7
lines, about one injected typo per 40 words; the test fixtures when the data is absent), then
times each configuration as a fresh process (model load included, nothing cached) and prints a
table with sentences/s, words/s and the ratio to aspell. Writes benchmarks/results/cli.json.

    python benchmarks/bench_cli.py [--words 50000] [--configs threads:2,threads:1,processes:2]

Wall time depends on what else runs on the machine: the JSON records the load average and the CPU
seconds each run used (the CPU figures are the steadier ones on a busy machine).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    r = rng.random()
    if r < 0.3:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]       # swap
    if r < 0.6:
        return word[:i] + word[i + 1:]                                  # drop
    if r < 0.8:
        return word[:i] + word[i] + word[i:]                            # double
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1:]          # substitute


def build_document(words: int, data: Path, seed: int = 0) -> tuple[str, str]:
    rng = random.Random(seed)
    sources = [data / "clean" / "wiki.dev.txt", data / "clean" / "brown.dev.txt"]
    lines: list[str] = []
    for src in sources:
        if src.exists():
            lines += [l.strip() for l in src.read_text(encoding="utf-8").splitlines() if l.strip()]
    origin = "+".join(s.name for s in sources if s.exists())
    if not lines:
        from tests.conftest import varied_sentences
        lines, origin = varied_sentences(4000), "tests/fixtures (varied)"
    rng.shuffle(lines)
    paragraphs, count, i = [], 0, 0
    while count < words:
        para = []
        for _ in range(rng.randint(3, 7)):
            line = lines[i % len(lines)]
            i += 1
            toks = [typo(w, rng) if rng.random() < 1 / 40 else w for w in line.split()]
            count += len(toks)
            para.append(" ".join(toks))
        paragraphs.append(" ".join(para))
    return "\n\n".join(paragraphs) + "\n", origin


def timed(cmd: list[str], stdin=None, env=None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rc": proc.returncode,
            "stdout": proc.stdout, "stderr": proc.stderr.decode(errors="replace")[-2000:]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=50_000)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--configs", default="threads:2,threads:1,processes:2",
                    help="comma-separated parallel:jobs to time (threads:2 is the default the CLI uses on 2 CPUs)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "cli.json")
    args = ap.parse_args()

    from edgemodel import split_sentences
    text, origin = build_document(args.words, args.data)
    n_words = len(text.split())
    n_sentences = len(split_sentences(text))
    tmp = Path(tempfile.mkdtemp(prefix="proofline-bench-"))
    doc = tmp / "document.txt"
    doc.write_text(text, encoding="utf-8")
    env = dict(os.environ, PROOFLINE_HOME=str(tmp / "home"), PYTHONPATH=str(ROOT))
    print(f"document: {n_words:,} words, {n_sentences:,} sentences, {len(text):,} characters (from {origin})")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    rows = []
    for config in args.configs.split(","):
        parallel, jobs = config.split(":")
        cmd = [sys.executable, "-m", "app.cli", "check", str(doc), "--format", "json", "--isolated",
               "--no-progress", "--parallel", parallel, "--jobs", jobs]
        r = timed(cmd, env=env)
        if r["rc"] not in (0, 1):
            print(f"proofline {config} failed (rc {r['rc']}): {r['stderr']}", file=sys.stderr)
            return 2
        issues = sum(1 for line in r["stdout"].splitlines() if line.strip())
        rows.append({"tool": f"proofline check ({parallel}, {jobs} jobs)", "config": config, "wall_s": r["wall_s"],
                     "cpu_s": r["cpu_s"], "flagged": issues, "load_avg": round(os.getloadavg()[0], 2)})
        print(f"  {rows[-1]['tool']}: {r['wall_s']} s wall, {r['cpu_s']} s CPU, {issues} issues", flush=True)

    aspell = shutil.which("aspell")
    if aspell:
        with open(doc, "rb") as f:
            r = timed([aspell, "--lang=en", "list"], stdin=f)
        flagged = len(r["stdout"].splitlines())
        rows.append({"tool": "aspell list", "config": "aspell", "wall_s": r["wall_s"], "cpu_s": r["cpu_s"],
                     "flagged": flagged, "load_avg": round(os.getloadavg()[0], 2)})
    else:
        print("aspell not found (apt-get install -y aspell aspell-en): no baseline", file=sys.stderr)

    base = next((r for r in rows if r["config"] == "aspell"), None)
    for r in rows:
        r["sentences_per_s"] = round(n_sentences / max(r["wall_s"], 1e-3), 1)
        r["words_per_s"] = round(n_words / max(r["wall_s"], 1e-3), 1)
        r["words_per_cpu_s"] = round(n_words / max(r["cpu_s"], 1e-3), 1)
        r["x_aspell_time"] = round(r["wall_s"] / max(base["wall_s"], 1e-3), 1) if base else None

    head = ("tool", "wall s", "CPU s", "sentences/s", "words/s", "words/CPU-s", "flagged", "time ÷ aspell")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print(f"| {r['tool']} | {r['wall_s']} | {r['cpu_s']} | {r['sentences_per_s']:,} | {r['words_per_s']:,} | "
              f"{r['words_per_cpu_s']:,} | {r['flagged']} | {r['x_aspell_time'] if base else '-'} |")

    result = {"document": {"words": n_words, "sentences": n_sentences, "characters": len(text), "source": origin},
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
              "rows": rows, "time": time.strftime("%Y-%m-%d %H:%M:%S")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
