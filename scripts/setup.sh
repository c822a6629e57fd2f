#!/usr/bin/env bash
# Set up everything Proofline needs on a fresh machine: Debian's libraries for Qt (when we may
# install them), a virtual environment in .venv and the package with the extras asked for.
#   scripts/setup.sh            run time only (the app and the CLI)
#   scripts/setup.sh dev,train  plus tests and training (torch is CPU-only and pinned)
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-}"

# Qt's xcb/offscreen platforms need these shared libraries; fonts so glyphs are not boxes.
QT_DEBS="libglib2.0-0 libgl1 libegl1 libx11-6 libx11-xcb1 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
libxcb1 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb-util1 fonts-dejavu-core"
if command -v dpkg >/dev/null 2>&1; then
  missing=$(for p in $QT_DEBS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    if [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1; then
      echo "installing Debian packages: $(echo $missing)"
      $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "warning: please install: $(echo $missing)" >&2
    fi
  fi
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ -n "$EXTRAS" ]; then
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
else
  .venv/bin/python -m pip install -q -e .
fi
