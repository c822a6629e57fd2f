#!/usr/bin/env bash
# Smoke test of a built Proofline bundle: the model loads from inside the bundle (--self-test),
# `proofline check` works, and the GUI starts and stays up (offscreen, and on Xvfb when available).
#
#   packaging/smoke_test.sh [PATH-TO-EXECUTABLE]
#   (default: dist/proofline/proofline[.exe], else the onefile build dist/onefile/proofline[.exe])
#
# Environment: PYTHON (for checking the JSON; default python3 or python), GUI_SECONDS (default 5),
# SMOKE_SKIP_GUI=1 to skip the GUI part. Linux also gets a list of the system libraries the bundle
# still needs (ldd). Exits non-zero on the first failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXE="${1:-}"
if [[ -z "$EXE" ]]; then
  for candidate in "$ROOT/dist/proofline/proofline" "$ROOT/dist/proofline/proofline.exe" "$ROOT/dist/onefile/proofline" "$ROOT/dist/onefile/proofline.exe"; do
    if [[ -f "$candidate" && -x "$candidate" ]] || [[ "$candidate" == *.exe && -f "$candidate" ]]; then EXE="$candidate"; break; fi
  done
fi
[[ -n "$EXE" && -f "$EXE" ]] || { echo "smoke_test: no bundle found (build it with python packaging/build.py)" >&2; exit 2; }
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
GUI_SECONDS="${GUI_SECONDS:-5}"
OS="$(uname -s)"
WORK="$(mktemp -d)"
export PROOFLINE_HOME="$WORK/home"   # never touch the real settings
PIDS_TO_STOP=()
cleanup() {
  for p in "${PIDS_TO_STOP[@]:-}"; do [[ -n "$p" ]] && kill -- "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "smoke_test: FAIL: $*" >&2; exit 1; }
now() { "$PYTHON" -c 'import time; print(time.time())'; }
elapsed() { "$PYTHON" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
echo "smoke_test: bundle $EXE"

# --- 1. self-test: the bundled model loads and checks a sentence ----------------------------------
t0=$(now)
"$EXE" --self-test > "$WORK/self-test.json" || fail "--self-test exited $? ($(cat "$WORK/self-test.json"))"
t1=$(now)
"$PYTHON" - "$WORK/self-test.json" <<'EOF' || fail "--self-test printed unexpected JSON"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
assert report["ok"] is True, report
model_dir = report["model_dir"].replace("\\", "/")
assert "edgemodel/assets" in model_dir, f"model not loaded from inside the bundle: {model_dir}"
assert report["corrected"] == "He went to school yesterday and bought an apple.", report["corrected"]
# The frozen app must correct exactly as the engine from source does with the same model.
try:
    from edgemodel import Checker
except ImportError:
    pass  # no source tree / engine here: structural checks only
else:
    expected = Checker().correct(report["sentence"])
    assert report["corrected"] == expected, (report["corrected"], expected)
    print(f"smoke_test: self-test corrected {report['sentence']!r} to {expected!r}, as the engine does")
print(f"smoke_test: self-test ok: model in {model_dir}, {len(report['issues'])} issues, timings {report.get('timings_ms')}")
EOF
echo "smoke_test: --self-test took $(elapsed "$t0" "$t1") s (process start to exit)"

# --- 2. the command-line checker ------------------------------------------------------------------
printf 'He go to school yesterday and buyed a apple.\nThe cat sat on the mat.\n' > "$WORK/sample.txt"
set +e
"$EXE" check "$WORK/sample.txt" --format json > "$WORK/check.jsonl" 2> "$WORK/check.err"; rc=$?
"$EXE" check "$WORK/sample.txt" --format sarif > "$WORK/check.sarif" 2>> "$WORK/check.err"; rc_sarif=$?
"$EXE" check "$WORK/missing.txt" > /dev/null 2>> "$WORK/check.err"; rc_missing=$?
set -e
[[ $rc == 0 || $rc == 1 ]] || fail "check exited $rc: $(cat "$WORK/check.err")"
[[ $rc_sarif == "$rc" ]] || fail "check --format sarif exited $rc_sarif, json $rc"
[[ $rc_missing == 2 ]] || fail "check of a missing file exited $rc_missing, expected 2"
"$PYTHON" - "$WORK/check.jsonl" "$WORK/check.sarif" <<'EOF' || fail "check printed unexpected output"
import json, sys
records = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
assert all({"path", "line", "col", "kind", "message", "replacements"} <= r.keys() for r in records)
sarif = json.load(open(sys.argv[2], encoding="utf-8"))
assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == len(records)
print(f"smoke_test: check ok: {len(records)} issues as JSON Lines and SARIF")
EOF

# --- 3. the GUI starts and stays up ---------------------------------------------------------------
# Each run gets its own process group (Linux) so that the app's helper processes are stopped too.
start_gui() {  # start_gui LOGFILE ENV... : starts the app in the background, sets GUI_PID
  local log="$1"; shift
  if command -v setsid > /dev/null; then
    env "$@" setsid "$EXE" "$WORK/sample.txt" > "$log" 2>&1 &
  else
    env "$@" "$EXE" "$WORK/sample.txt" > "$log" 2>&1 &
  fi
  GUI_PID=$!
  PIDS_TO_STOP+=("$GUI_PID")
}
stop_gui() {  # stop_gui PID: the app, and with setsid its whole process group
  local pid="$1"
  if command -v setsid > /dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; else kill "$pid" 2>/dev/null || true; fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if command -v setsid > /dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -9 "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
tree_rss_kb() {  # the app and its children, from /proc (Linux)
  local total=0 p
  for p in $( (echo "$1"; pgrep -g "$1" 2>/dev/null || true) | sort -u); do
    [[ -r /proc/$p/status ]] && total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
gui_check() {  # gui_check NAME ENV...
  local name="$1"; shift
  start_gui "$WORK/gui-$name.log" "$@"
  sleep "$GUI_SECONDS"
  if ! kill -0 "$GUI_PID" 2>/dev/null; then
    wait "$GUI_PID"; local code=$?
    fail "GUI ($name) exited with $code within ${GUI_SECONDS}s: $(tail -20 "$WORK/gui-$name.log")"
  fi
  local rss=""
  [[ "$OS" == Linux ]] && rss=" (RSS of the app and its child processes after ${GUI_SECONDS}s: $(( $(tree_rss_kb "$GUI_PID") / 1024 )) MB)"
  echo "smoke_test: GUI ($name) is up after ${GUI_SECONDS}s$rss"
  stop_gui "$GUI_PID"
}
if [[ "${SMOKE_SKIP_GUI:-0}" != 1 ]]; then
  gui_check offscreen QT_QPA_PLATFORM=offscreen
  if [[ "$OS" == Linux ]] && command -v Xvfb > /dev/null; then
    # A display number nobody uses: Xvfb picks it and writes it to a file descriptor.
    exec 7> "$WORK/display"
    Xvfb -displayfd 7 -screen 0 1280x800x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
    XVFB_PID=$!
    PIDS_TO_STOP+=("$XVFB_PID")
    for _ in $(seq 50); do [[ -s "$WORK/display" ]] && break; sleep 0.1; done
    exec 7>&-
    [[ -s "$WORK/display" ]] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
    gui_check xcb QT_QPA_PLATFORM=xcb DISPLAY=":$(head -1 "$WORK/display")"
    # Wait until it is gone: the next server (measure_startup's) may take the same display number.
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  else
    echo "smoke_test: no Xvfb: the xcb platform plugin was not tried"
  fi
fi

# --- 4. Linux: which system libraries the bundle still needs --------------------------------------
if [[ "$OS" == Linux ]] && command -v ldd > /dev/null; then
  BUNDLE_DIR="$(cd "$(dirname "$EXE")" && pwd -P)/_internal"
  if [[ -d "$BUNDLE_DIR" ]]; then
    find "$BUNDLE_DIR" -name "*.so*" -type f -print0 | xargs -0 env LD_LIBRARY_PATH="$BUNDLE_DIR" ldd 2>/dev/null \
      | awk '/=>/ { print $1, $3 }' | grep -v " $BUNDLE_DIR" | sort -u > "$WORK/ldd.txt" || true
    missing=$(awk '$2 == "not" {print $1}' "$WORK/ldd.txt" | sort -u | tr '\n' ' ')
    system=$(awk '$2 != "not" {print $1}' "$WORK/ldd.txt" | sort -u | tr '\n' ' ')
    echo "smoke_test: system libraries used from outside the bundle: $system"
    [[ -z "$missing" ]] || echo "smoke_test: WARNING: not found on this machine: $missing"
  fi
fi
echo "smoke_test: PASS"
