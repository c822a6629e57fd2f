"""Engine benchmark: latency of greedy vs aggressive decoding in the same run, decoder passes,
load time and memory. Prints a markdown table and writes JSON + markdown.

    python benchmarks/bench_engine.py [--data ../shared/data] [--n 200] [--out benchmarks/results]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def status_mb(key: str) -> float:
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def private_mb() -> float:
    for line in open("/proc/self/smaps_rollup"):
        if line.startswith("Anonymous:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sentences(data: Path, n: int) -> list[str]:
    """Learner sentences (with errors) and clean ones, half each; fixtures when the data is absent."""
    learner = data / "dev" / "jfleg" / "dev.src"
    clean = data / "clean" / "wiki.dev.txt"
    if learner.exists() and clean.exists():
        from edgemodel.evaluate import detokenize
        a = [detokenize(s.split())[0] for s in learner.read_text(encoding="utf-8").splitlines()[: n // 2]]
        b = clean.read_text(encoding="utf-8").splitlines()[: n - len(a)]
        return a + b
    from conftest import varied_sentences
    return varied_sentences(n)


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()

    import numpy  # noqa: F401  (the run-time baseline: what any process using the engine imports)
    import onnxruntime  # noqa: F401
    import sentencepiece  # noqa: F401
    base = status_mb("VmRSS")
    t0 = time.perf_counter()
    from edgemodel import Checker, RuntimeOptions, decoding
    checker = Checker(runtime=RuntimeOptions(threads=args.threads))
    load_s = time.perf_counter() - t0
    after_load = status_mb("VmRSS")

    texts = sentences(args.data, args.n)
    tok, model = checker.tokenizer, checker.model
    srcs = [tok.encode(s)[:160] for s in texts]
    decoding.aggressive(model, srcs[0])  # warm-up
    results = {}
    for name, fn in (("greedy", decoding.greedy), ("aggressive", decoding.aggressive)):
        lat, passes, outs = [], [], []
        for src in srcs:
            t = time.perf_counter()
            d = fn(model, src)
            lat.append((time.perf_counter() - t) * 1000)
            passes.append(d.passes)
            outs.append(d.tokens)
        results[name] = {"p50_ms": percentile(lat, 0.5), "p95_ms": percentile(lat, 0.95),
                         "mean_ms": statistics.mean(lat), "passes_per_sentence": statistics.mean(passes),
                         "outputs": outs}
    identical = results["greedy"].pop("outputs") == results["aggressive"].pop("outputs")
    t = time.perf_counter()
    for s in texts:
        checker.check(s)
    check_ms = (time.perf_counter() - t) * 1000 / len(texts)
    report = {
        "sentences": len(texts), "threads": args.threads,
        "mean_tokens": statistics.mean(len(s) for s in srcs),
        "load_s": load_s,
        "greedy": results["greedy"], "aggressive": results["aggressive"],
        "speedup_p50": results["greedy"]["p50_ms"] / results["aggressive"]["p50_ms"],
        "speedup_mean": results["greedy"]["mean_ms"] / results["aggressive"]["mean_ms"],
        "outputs_identical": identical,
        "check_ms_per_sentence": check_ms,
        "rss_base_mb": base, "rss_after_load_mb": after_load, "peak_rss_mb": status_mb("VmHWM"),
        "peak_over_base_mb": status_mb("VmHWM") - base, "private_anon_mb": private_mb(),
        "model_files_mb": sum(p.stat().st_size for p in model.dir.iterdir() if p.is_file()) / 2**20,
    }
    g, a = report["greedy"], report["aggressive"]
    table = "\n".join([
        "| metric | greedy | aggressive | ratio |", "|---|---|---|---|",
        f"| p50 latency (ms) | {g['p50_ms']:.1f} | {a['p50_ms']:.1f} | {g['p50_ms'] / a['p50_ms']:.2f}× |",
        f"| p95 latency (ms) | {g['p95_ms']:.1f} | {a['p95_ms']:.1f} | {g['p95_ms'] / a['p95_ms']:.2f}× |",
        f"| mean latency (ms) | {g['mean_ms']:.1f} | {a['mean_ms']:.1f} | {report['speedup_mean']:.2f}× |",
        f"| decoder passes / sentence | {g['passes_per_sentence']:.1f} | {a['passes_per_sentence']:.1f} | "
        f"{g['passes_per_sentence'] / a['passes_per_sentence']:.1f}× |",
        "",
        f"{len(texts)} sentences, {report['mean_tokens']:.1f} tokens on average, {args.threads} thread(s); "
        f"outputs identical: {identical}; full check() {check_ms:.1f} ms/sentence",
        f"load {load_s * 1000:.0f} ms; RSS base {base:.1f} MB (numpy+onnxruntime+sentencepiece), "
        f"after load +{after_load - base:.1f} MB, peak +{report['peak_over_base_mb']:.1f} MB, "
        f"private (anonymous) {report['private_anon_mb']:.1f} MB; model files {report['model_files_mb']:.1f} MB",
    ])
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "engine.json").write_text(json.dumps(report, indent=2))
    (args.out / "engine.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
