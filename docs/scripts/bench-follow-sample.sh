#!/usr/bin/env bash
# How long "Follow a sample" takes from choosing a sample to every layer's thumbnail on the canvas
# (kiln.app.follow.FollowSampleBench): the forward pass alone, and with the thumbnails built and painted.
# usage: docs/scripts/bench-follow-sample.sh [PROJECT ...]        (default: the MNIST CNN sample)
# needs xvfb-run (sudo apt-get install xvfb xauth libgtk-3-0)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
[ "$#" -gt 0 ] || set -- sample-projects/mnist-cnn
for project in "$@"; do
  OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
    java -Xmx2g -Dprism.order=sw -cp "$cp" kiln.app.follow.FollowSampleBench "$project"
done
