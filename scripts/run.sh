#!/usr/bin/env bash
# Start the Proofline editor on the bundled model (sets everything up on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
exec .venv/bin/python -m app "$@"
