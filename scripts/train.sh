#!/usr/bin/env bash
# Background training with the settings that suit a shared 2-core machine; extra arguments go to
# edgemodel.train.train (e.g. --hours 2.5 --threads 1). Resumes from RUN/last.pt when it exists.
#   PROCS=2 ... --threads 1 --max-tokens 2000: two DDP processes of one thread each, together the
#             usual 4,000-token batch: 4,300 tokens/s on this machine's 2 cores against 3,500 for one
#             process of two threads (measured on the 6-layer model, quiet machine).
#   MALLOC_*: variable batch shapes fragment glibc's heap (RSS grew ~100 MB/min with the defaults),
#             but mmap'ing every block over 128 kB cost a third of the CPU in page faults (230k/s,
#             1,570 tokens/s). Blocks up to 32 MB now come from a heap that is kept, and train.py
#             hands its free pages back every 20 steps: 35-80k faults/s, 2,200-3,500 tokens/s,
#             RSS 2-3.3 GB over 45 minutes.
#   OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of spinning against other jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456 MALLOC_ARENA_MAX=2
export OMP_WAIT_POLICY=PASSIVE
if [ "${PROCS:-1}" -gt 1 ]; then
    exec torchrun --standalone --nproc_per_node "$PROCS" -m edgemodel.train.train "$@"
fi
exec python -m edgemodel.train.train "$@"
