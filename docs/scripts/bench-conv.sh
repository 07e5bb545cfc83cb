#!/usr/bin/env bash
# Convolution and pooling, forward and backward: ND4J's ops vs the oneDNN kernels vs PyTorch (kiln.engine.nn.ConvBench).
# usage: docs/scripts/bench-conv.sh [ConvBench arguments, e.g. --rounds 5 --pool-layouts]
#   PyTorch runs when TORCH_PYTHON (default /tmp/torch-venv/bin/python) exists; its venv as in bench-compare.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${TORCH_PYTHON:-/tmp/torch-venv/bin/python}
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
torch=()
[ -x "$py" ] && torch=(--torch "$py")
java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" kiln.engine.nn.ConvBench "${torch[@]}" "$@"
