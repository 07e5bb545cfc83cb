#!/usr/bin/env bash
# Kiln vs PyTorch training throughput, alternating runs in one sitting (protocol: shared/bench/NOTES.md).
# usage: docs/scripts/bench-compare.sh [rounds]   (needs target/kiln.jar and a Python with torch, see below)
#   python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch==2.13.0+cpu numpy
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
py=${TORCH_PYTHON:-/tmp/torch-venv/bin/python}
ref=${BENCH_REFERENCE:-../shared/bench/pytorch_reference.py}
data=${DATA_DIR:-sample-projects/datasets/fashion-mnist}
for r in $(seq "$rounds"); do
  for net in lenet keras mlp; do
    for threads in 1 2; do
      java -jar target/kiln.jar bench "$net" --threads "$threads" | grep '^RESULT'
      TORCH_THREADS=$threads DATA_DIR=$data "$py" "$ref" "$net" 300 20 noeval | grep '^RESULT'
    done
  done
done
