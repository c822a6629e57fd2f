#!/usr/bin/env bash
# Build the Linux onedir bundle and smoke-test it (for .ci/run and developers).
#
#   bash packaging/ci_build.sh
#
# Installs what it needs when it can: PyInstaller into the current Python environment, and (as
# root on Debian/Ubuntu) the xcb libraries PyInstaller must find on the build machine to put them
# in the bundle, plus Xvfb for the smoke test. Writes dist/proofline/ and build/package-report.json.
# Takes about 1-2 minutes on 2 cores (PyInstaller ~30-60 s, smoke test ~20 s, underline check ~10 s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python}"
start=$(date +%s)

if ! "$PYTHON" -c "import PyInstaller" 2> /dev/null; then
  echo "ci_build: installing PyInstaller"
  "$PYTHON" -m pip install --quiet "pyinstaller>=6"
fi

# Libraries the Qt xcb plugin links to: bundled from the build machine, so they must be here.
XCB_PACKAGES=(libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-randr0
              libxcb-shape0 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxkbcommon-x11-0 libxkbcommon0
              libfontconfig1 libfreetype6 libdbus-1-3 libegl1 libgl1 xvfb x11-apps x11-utils)
if command -v dpkg > /dev/null && command -v apt-get > /dev/null && [[ "$(id -u)" == 0 ]]; then
  missing=()
  for p in "${XCB_PACKAGES[@]}"; do dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p"); done
  if (( ${#missing[@]} )); then
    echo "ci_build: apt-get install ${missing[*]}"
    apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
  fi
fi

nice -n "${CI_BUILD_NICE:-10}" "$PYTHON" packaging/build.py --report build/package-report.json
built=$(date +%s)
nice -n "${CI_BUILD_NICE:-10}" bash packaging/smoke_test.sh dist/proofline/proofline
# The frozen GUI on an X server: the window must show underlines (time to first underline, idle RSS).
# Tried twice: in one clean-clone run (2026-12-07) the app could not connect to a fresh Xvfb that
# had answered xwininfo (cause not found, not reproduced in 5 tries); a second failure is a real one.
if command -v Xvfb > /dev/null && command -v xwd > /dev/null; then
  measure() { env -u DISPLAY "$PYTHON" packaging/measure_startup.py dist/proofline/proofline --idle 3 > build/startup.json; }
  measure || { echo "ci_build: the frozen GUI check failed once; trying again" >&2; measure; } \
    || { cat build/startup.json; echo "ci_build: FAIL: no underline in the frozen GUI" >&2; exit 1; }
  "$PYTHON" -c "import json; r = json.load(open('build/startup.json')); print('ci_build: GUI window', r['window_s'], 's, first underline', r['first_underline_s'], 's, idle RSS', r['after_3s_idle']['rss_kb'] // 1024, 'MB')"
else
  echo "ci_build: no Xvfb/xwd: the underline check of the frozen GUI was skipped"
fi
end=$(date +%s)
echo "ci_build: build $((built - start)) s, smoke test $((end - built)) s, total $((end - start)) s"
