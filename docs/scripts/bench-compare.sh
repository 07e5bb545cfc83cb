#!/usr/bin/env bash
# Kiln vs PyTorch training throughput, alternating runs in one sitting (protocol: docs/performance.md, "Training
# speed against PyTorch"). Kiln's side is `kiln bench`; the PyTorch side is a script of your own, not part of
# this repository, that trains the same network with the same protocol and prints the same RESULT line. It is
# called as: SCRIPT NET BATCHES WARMUP noeval, with TORCH_THREADS and DATA_DIR (the Fashion-MNIST folder) set.
# usage: BENCH_REFERENCE=path/to/your_script.py docs/scripts/bench-compare.sh [rounds]
#   needs target/kiln.jar and a Python with torch, e.g.:
#   python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch==2.13.0+cpu numpy
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
py=${TORCH_PYTHON:-/tmp/torch-venv/bin/python}
ref=${BENCH_REFERENCE:?set BENCH_REFERENCE to your PyTorch script (see the header of this file)}
data=${DATA_DIR:-sample-projects/datasets/fashion-mnist}
for r in $(seq "$rounds"); do
  for net in lenet keras mlp; do
    for threads in 1 2; do
      java -jar target/kiln.jar bench "$net" --threads "$threads" | grep '^RESULT'
      TORCH_THREADS=$threads DATA_DIR=$data "$py" "$ref" "$net" 300 20 noeval | grep '^RESULT'
    done
  done
done
