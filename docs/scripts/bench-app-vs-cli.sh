#!/usr/bin/env bash
# Training throughput in the app's Training view (real JavaFX under Xvfb) versus the headless command line,
# on temporary copies of the MNIST CNN sample, alternating runs. Compares the epoch time written to
# runs/run-N/metrics.csv (training plus the per-epoch scoring, the same code in both).
# usage: docs/scripts/bench-app-vs-cli.sh [rounds] [samples]
#   needs: mvn -o -q package -DskipTests && mvn -o -q test-compile, and xvfb-run
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
samples=${2:-8000}
cp_file=$(mktemp)
mvn -B -ntp -o -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
classpath="target/classes:target/test-classes:$(cat "$cp_file")"
work=$(mktemp -d)
mkdir -p "$work/cli" "$work/app"
cp sample-projects/mnist-cnn/project.json "$work/cli/"
cp sample-projects/mnist-cnn/project.json "$work/app/"
last_epoch_seconds() { tail -n 1 "$(ls -d "$1"/runs/run-* | sort -V | tail -n 1)/metrics.csv" | cut -d, -f6; }
for r in $(seq "$rounds"); do
  java -jar target/kiln.jar train "$work/cli" --epochs 1 --limit-train "$samples" >/dev/null
  cli=$(last_epoch_seconds "$work/cli")
  xvfb-run -a -s "-screen 0 1400x900x24" java -cp "$classpath" kiln.app.training.TrainingViewDemo \
      bench "$work/app" "$samples" >/dev/null 2>&1
  app=$(last_epoch_seconds "$work/app")
  awk -v r="$r" -v n="$samples" -v c="$cli" -v a="$app" 'BEGIN { printf "RESULT round=%d cli_s=%.2f app_s=%.2f cli_img_s=%.0f app_img_s=%.0f app_over_cli=%.3f\n", r, c, a, n / c, n / a, a / c }'
done
rm -rf "$work" "$cp_file"
