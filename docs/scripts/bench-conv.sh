#!/usr/bin/env bash
# Convolution and pooling, forward and backward: ND4J's ops vs the oneDNN kernels vs PyTorch (kiln.engine.nn.ConvBench),
# or with "threads" first, oneDNN primitives made for two threads vs one (kiln.engine.nn.ConvThreadsBench).
# usage: docs/scripts/bench-conv.sh [threads] [arguments, e.g. --rounds 5 --pool-layouts --net resnet]
#   PyTorch runs when TORCH_PYTHON (default /tmp/torch-venv/bin/python) exists; its venv as in bench-compare.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${TORCH_PYTHON:-/tmp/torch-venv/bin/python}
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
if [ "${1:-}" = threads ]; then
  shift
  exec java -Xmx2g -cp "$cp" kiln.engine.nn.ConvThreadsBench "$@"
fi
torch=()
[ -x "$py" ] && torch=(--torch "$py")
java -Xmx2g -cp "$cp" kiln.engine.nn.ConvBench "${torch[@]}" "$@"
