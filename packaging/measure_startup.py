"""Measure the built app as a user would see it, on an X server (Xvfb): time until the window is
shown, time until the first underline is drawn, and the idle memory (RSS and PSS) of the whole process tree.

    python packaging/measure_startup.py dist/proofline/proofline

Uses $DISPLAY if set, else starts its own Xvfb. Needs xwininfo (x11-utils) and xwd (x11-apps).
Underlines are found by colour (app/kinds.py) in screenshots taken every ~50 ms, compared with the
first screenshot of the window. Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

UNDERLINE_COLOURS = [(0xd6, 0x2d, 0x20), (0x1f, 0x5f, 0xd6), (0xd4, 0x8a, 0x00)]   # app/kinds.py
CANDIDATES = [
    "He go to school yesterday and buyed a apple.", "She dont like there new house becuase its to small.",
    "I has been living here since three years.", "The results was very suprising for everyone involved.",
    "Their going to the park tomorrow, arent they?", "My freind recieved an letter from the goverment.",
    "We discussed about the problem for hours.", "This is the the best day of my life.",
    "Peoples is always asking me the same question.", "Me and him went to the store yesterday.",
    "The informations you gave me was very useful.", "i live in london and i work in a bank.",
    "It was a long , long time ago .", "Its a beautiful day, isnt it?", "We was late because of the traffic jam.",
]


def flagged_text(command: list[str], env: dict) -> str:
    """Sentences the app's model flags with default settings (asked through `check`), so that the
    window has something to underline whatever the model currently corrects."""
    p = subprocess.run(command + ["check", "--stdin", "--format", "json", "--no-progress"], env=env,
                       input="\n\n".join(CANDIDATES).encode(), capture_output=True)
    starts = [json.loads(line)["start"] for line in p.stdout.decode().splitlines() if line.strip()]
    text, pos, keep = "\n\n".join(CANDIDATES), 0, []
    for s in CANDIDATES:
        if any(pos <= x < pos + len(s) for x in starts):
            keep.append(s)
        pos += len(s) + 2
    return "\n\n".join(keep or CANDIDATES) + "\n"


def screenshot() -> np.ndarray | None:
    """The root window as an RGB array, from `xwd -root` (ZPixmap, 24/32 bits per pixel)."""
    raw = subprocess.run(["xwd", "-root", "-silent"], capture_output=True).stdout
    if len(raw) < 100:
        return None
    h = struct.unpack(">25I", raw[:100])
    header_size, width, height, byte_order, bpp, bytes_per_line, ncolors = h[0], h[4], h[5], h[7], h[11], h[12], h[19]
    if bpp not in (24, 32):
        raise SystemExit(f"measure_startup: unsupported screenshot format ({bpp} bits per pixel); use a 24-bit screen")
    step = bpp // 8
    start = header_size + 12 * ncolors
    data = np.frombuffer(raw[start:start + bytes_per_line * height], np.uint8).reshape(height, bytes_per_line)
    px = data[:, :width * step].reshape(height, width, step)
    if byte_order == 0:                      # LSBFirst: B, G, R(, X)
        return px[:, :, [2, 1, 0]]
    return px[:, :, [step - 3, step - 2, step - 1]]


def underline_pixels(img: np.ndarray, tolerance: int = 40) -> int:
    img = img.astype(np.int16)
    return int(sum((np.abs(img - np.array(c)).max(axis=2) <= tolerance).sum() for c in UNDERLINE_COLOURS))


def display_answers() -> bool:
    return subprocess.run(["xwininfo", "-root"], capture_output=True).returncode == 0


def start_xvfb() -> subprocess.Popen:
    """An Xvfb on a display number it picks itself (no race with other servers), set as $DISPLAY
    once it answers. (xvfb-run -a once handed the app a display that was not there.)"""
    read, write = os.pipe()
    log = tempfile.TemporaryFile()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=log, stderr=log)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()     # written once the server is ready; empty if it died
    if not number:
        xvfb.wait(10)
        log.seek(0)
        raise SystemExit(f"measure_startup: Xvfb did not start: {log.read().decode(errors='replace')[-500:]}")
    os.environ["DISPLAY"] = f":{number}"
    for _ in range(100):
        if display_answers():
            return xvfb
        time.sleep(0.1)
    xvfb.kill()
    raise SystemExit(f"measure_startup: Xvfb on :{number} does not answer")


def window_shown(title_part: str) -> bool:
    out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    return any(title_part in line and "x" in line for line in out.splitlines())


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(p)], capture_output=True, text=True).stdout
        except OSError:
            kids = ""
        for k in map(int, kids.split()):
            out.append(k)
            todo.append(k)
    return out


def tree_memory_kb(pid: int) -> dict:
    """RSS and PSS summed over the app and every process it started (the app checks in a child
    process; multiprocessing adds a resource tracker). PSS shares out the pages the processes share."""
    per, rss, pss, anon = {}, 0, 0, 0
    for p in [pid] + descendants(pid):
        try:
            status = dict(l.split(":", 1) for l in Path(f"/proc/{p}/status").read_text().splitlines() if ":" in l)
            rollup = dict(l.split(":", 1) for l in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:] if ":" in l)
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        kb = lambda d, k: int(d.get(k, "0 kB").split()[0])  # noqa: E731
        per[p] = {"rss_kb": kb(status, "VmRSS"), "pss_kb": kb(rollup, "Pss"), "anon_kb": kb(status, "RssAnon"),
                  "cmd": cmd[:120]}
        rss += per[p]["rss_kb"]
        pss += per[p]["pss_kb"]
        anon += per[p]["anon_kb"]
    return {"rss_kb": rss, "pss_kb": pss, "anon_kb": anon, "processes": per}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="+", help="the app to start, e.g. dist/proofline/proofline")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--idle", type=float, default=5.0, help="seconds after the first underline before reading RSS")
    args = ap.parse_args()
    for tool in ("xwd", "xwininfo"):
        if not shutil.which(tool):
            print(f"measure_startup: {tool} not found (apt-get install x11-apps x11-utils)", file=sys.stderr)
            return 2
    xvfb = None
    if not os.environ.get("DISPLAY"):
        if not shutil.which("Xvfb"):
            print("measure_startup: no DISPLAY and no Xvfb (apt-get install xvfb)", file=sys.stderr)
            return 2
        xvfb = start_xvfb()
    try:
        return measure(args)
    except SystemExit:
        if xvfb is not None:   # was it our X server that went away?
            state = "running" if xvfb.poll() is None else f"exited ({xvfb.returncode})"
            print(f"measure_startup: Xvfb on {os.environ['DISPLAY']}: {state}", file=sys.stderr)
        raise
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


def measure(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="proofline-startup-"))
    doc = tmp / "startup-test.txt"
    env = dict(os.environ, PROOFLINE_HOME=str(tmp / "home"))
    env.pop("QT_QPA_PLATFORM", None)
    text = flagged_text(args.command, env)
    doc.write_text(text, encoding="utf-8")
    baseline_img = screenshot()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args.command + [str(doc)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    result: dict = {"command": args.command, "sentences_flagged": text.count("\n\n") + 1 if text.strip() else 0}
    try:
        while not window_shown("startup-test"):
            if proc.poll() is not None:
                raise SystemExit(f"measure_startup: the app exited ({proc.returncode}): {proc.stdout.read().decode()[-2000:]}")
            if time.perf_counter() - t0 > args.timeout:
                raise SystemExit("measure_startup: no window within the timeout")
            time.sleep(0.02)
        result["window_s"] = round(time.perf_counter() - t0, 3)
        base = underline_pixels(baseline_img) if baseline_img is not None else 0
        first = None
        while time.perf_counter() - t0 < args.timeout:
            img = screenshot()
            if img is not None:
                n = underline_pixels(img)
                if first is None:
                    first = n
                if n - max(base, first) > 20:
                    result["first_underline_s"] = round(time.perf_counter() - t0, 3)
                    result["underline_pixels"] = n
                    break
            time.sleep(0.03)
        else:
            result["first_underline_s"] = None
        time.sleep(args.idle)
        result[f"after_{args.idle:g}s_idle"] = tree_memory_kb(proc.pid)
    finally:
        family = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        time.sleep(0.5)
        for p in family:               # the app's own children, if SIGTERM left them behind
            try:
                os.kill(p, signal.SIGKILL)
                result.setdefault("left_behind_after_sigterm", []).append(p)
            except ProcessLookupError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0 if result.get("first_underline_s") else 1


if __name__ == "__main__":
    sys.exit(main())
