"""Build the Proofline bundle with PyInstaller and report its size and the build time.

    python packaging/build.py              # onedir bundle: dist/proofline/ (run dist/proofline/proofline)
    python packaging/build.py --onefile    # a single executable: dist/onefile/proofline(.exe)

Needs the runtime dependencies and PyInstaller in the current environment
(pip install -e '.[package]' or pip install pyinstaller). Writes build/ and dist/ under the
repository root (both git-ignored) and, with --report FILE, the numbers as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "proofline.spec"


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def biggest(path: Path, n: int = 12) -> list[tuple[int, str]]:
    if path.is_file():
        return []
    files = [(p.stat().st_size, str(p.relative_to(path))) for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(files, reverse=True)[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onefile", action="store_true", help="build one self-extracting executable instead of a folder")
    ap.add_argument("--dist", type=Path, help="output folder (default: dist/, or dist/onefile/ with --onefile)")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    ap.add_argument("--keep-cache", action="store_true", help="reuse PyInstaller's analysis cache (faster rebuilds)")
    ap.add_argument("--report", type=Path, help="also write the numbers as JSON here")
    args = ap.parse_args()

    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("build.py: PyInstaller is not installed: pip install pyinstaller  (or pip install -e '.[package]')",
              file=sys.stderr)
        return 2

    args.dist = args.dist or (ROOT / "dist" / "onefile" if args.onefile else ROOT / "dist")
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
           "--distpath", str(args.dist), "--workpath", str(args.work)]
    if not args.keep_cache:
        cmd.append("--clean")
    if args.onefile:
        cmd += ["--", "--onefile"]
    target = args.dist / ("proofline.exe" if args.onefile and os.name == "nt" else "proofline")
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()

    print("build.py:", " ".join(cmd), flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or not target.exists():
        print(f"build.py: PyInstaller failed (exit {proc.returncode}) after {seconds:.0f} s", file=sys.stderr)
        return proc.returncode or 1

    size = size_of(target)
    exe = target if args.onefile else target / ("proofline.exe" if os.name == "nt" else "proofline")
    print(f"\nbuilt {'onefile' if args.onefile else 'onedir'} bundle {target}")
    print(f"  size:       {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    print(f"  build time: {seconds:.0f} s")
    print(f"  run:        {exe} --self-test")
    if not args.onefile:
        print("  largest files:")
        for n, name in biggest(target):
            print(f"    {n / 1e6:7.1f} MB  {name}")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps({
            "mode": "onefile" if args.onefile else "onedir", "path": str(target), "bytes": size,
            "build_seconds": round(seconds, 1), "platform": platform.platform(), "python": platform.python_version(),
            "largest": [{"bytes": n, "file": f} for n, f in biggest(target)]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
