#!/usr/bin/env bash
# What measuring every layer once per epoch (dynamics.csv, the layer hints) costs, in batches of training
# (kiln.engine.train.LayerMeasurementBench). usage: docs/scripts/bench-layer-measurement.sh [PROJECT ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
[ "$#" -gt 0 ] || set -- sample-projects/mnist-mlp sample-projects/mnist-cnn sample-projects/cifar10-resnet-small
for project in "$@"; do
  java -Xmx2g -cp "$cp" kiln.engine.train.LayerMeasurementBench "$project"
done
