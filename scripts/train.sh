#!/usr/bin/env bash
# Background training with the settings that suit a shared 2-core machine; extra arguments go to
# edgemodel.train.train (e.g. --hours 2.5 --threads 1). Resumes from RUN/last.pt when it exists.
#   MALLOC_*: variable batch shapes fragment glibc's heap (RSS grew ~100 MB/min); mmap'ing large
#             blocks returns them to the system.
#   OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of spinning against other jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
export MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 MALLOC_ARENA_MAX=2
export OMP_WAIT_POLICY=PASSIVE
exec python -m edgemodel.train.train "$@"
