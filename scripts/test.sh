#!/usr/bin/env bash
# Set up (run time + dev + train extras, Qt's system libraries) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,train
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
