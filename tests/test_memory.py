"""The model's memory budget, measured in a fresh process: under 50 MB over the run-time imports."""
import json
import subprocess
import sys
from pathlib import Path

from conftest import ASSETS, varied_sentences

BUDGET_MB = 50

PROBE = r"""
import json, sys
import numpy, onnxruntime, sentencepiece

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024

def weight_mappings():
    maps, current = {}, None
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            current = parts[5] if len(parts) > 5 and parts[5].endswith(".weights") else None
            if current:
                maps.setdefault(current, {"Rss": 0, "Private_Dirty": 0, "Anonymous": 0, "Size": 0})
        elif current and parts[0].rstrip(":") in ("Rss", "Private_Dirty", "Anonymous", "Size"):
            maps[current][parts[0].rstrip(":")] += int(parts[1])
    return maps

base = status("VmRSS")
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to the current RSS
from edgemodel import Checker
checker = Checker()
sentences = json.load(sys.stdin)
for s in sentences:
    checker.check(s)
print(json.dumps({"base_mb": base, "peak_mb": status("VmHWM"), "rss_mb": status("VmRSS"),
                  "weights": weight_mappings(), "checked": len(sentences)}))
"""


def run_probe(sentences):
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(sentences), capture_output=True,
                         text=True, cwd=root, timeout=600, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_peak_memory_while_checking_200_sentences_is_under_budget():
    result = run_probe(varied_sentences(200, seed=7))
    assert result["checked"] == 200
    growth = result["peak_mb"] - result["base_mb"]
    print(f"\nbase {result['base_mb']:.1f} MB, peak {result['peak_mb']:.1f} MB, growth {growth:.1f} MB")
    assert growth < BUDGET_MB, result


def test_weights_are_memory_mapped_clean_and_lazy():
    result = run_probe(["He go to school yesterday and buyed a apple."])
    maps = result["weights"]
    assert {Path(p).name for p in maps} == {"encoder.weights", "decoder.weights"}, maps
    for path, m in maps.items():
        assert m["Private_Dirty"] == 0 and m["Anonymous"] == 0, (path, m)  # file-backed, clean, shareable
        assert m["Rss"] > 0, (path, m)
    # Paged in lazily: one short sentence touches only part of the weights (e.g. a few embedding rows).
    resident_kb = sum(m["Rss"] for m in maps.values())
    on_disk_kb = sum(Path(p).stat().st_size for p in maps) / 1024
    assert resident_kb < 0.8 * on_disk_kb, (resident_kb, on_disk_kb, maps)


def test_model_files_on_disk_are_under_budget():
    total = sum(p.stat().st_size for p in ASSETS.iterdir() if p.is_file())
    assert total < BUDGET_MB * 1024 * 1024, total
