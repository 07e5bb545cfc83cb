#!/usr/bin/env bash
# Retakes every screenshot in docs/images from the real app: the main window under Xvfb with real glass
# (not Monocle), driven by src/test/java/kiln/app/DocScreenshots.java on a temporary user folder.
# It trains two short runs (2,000 MNIST images, 3 epochs each): about 3-6 minutes on a 2-core machine.
# usage: docs/scripts/screenshots.sh [output-folder [light|dark]]      (default docs/images, light)
# "dark" takes the same shots in the dark theme: docs/scripts/screenshots.sh docs/images/dark dark
# needs (Debian/Ubuntu, installed by you, nothing is installed here):
#   sudo apt-get install xvfb xauth libgtk-3-0 fontconfig fonts-dejavu-core
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/images}
theme=${2:-light}
for tool in xvfb-run xauth mvn java; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: '$tool' is missing (see the packages at the top of this script)" >&2; exit 1; }
done
offline=-o
[ -d "$HOME/.m2/repository/org/openjfx" ] || offline=   # first build: let Maven download
mvn -B -ntp $offline -q test-compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -ntp $offline -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
# OMP_WAIT_POLICY as the app's launcher sets it (docs/decisions/0001-dl4j-native-settings.md)
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx4g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.DocScreenshots "$out" "$theme"
# The Open Sample gallery (both states) and the first-launch hint.
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx2g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.GalleryScreenshots "$out" "$theme"
# Fine-tuning (light and dark): canvas marks, the inspector's training settings, Start from…, four runs compared.
# It trains the MNIST CNN (2,000 images) and four fine-tuning runs (1,000 Fashion-MNIST images, 3 epochs each).
# It takes both themes itself (fine-tuning-*-dark.png), so a dark pass leaves it out.
if [ "$theme" = light ]; then
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx4g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.FineTuningScreenshots "$out"
fi
# Follow a sample: the canvas's thumbnails and the layer view (trains the MNIST CNN on 2,000 images, 3 epochs).
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx3g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.FollowScreenshots "$out" "$theme"
# Looking inside (light and dark alike): canvas sparklines, the Layers table, Grad-CAM on mistakes, a unit's top
# samples. It trains the MNIST CNN on 2,000 images for 4 epochs.
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx4g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.LookInsideScreenshots "$out" "$theme"
# Cross-validate (k folds)… on the tabular sample: 5 folds of 40 epochs, about a minute; the result beside the runs.
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx2g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.training.CrossValidationScreenshots "$out" "$theme"
# A yes/no run's Evaluation tab: the ROC and precision-recall curves and the threshold slider (trains the
# breast-cancer sample for its 40 epochs, about 10 seconds).
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx2g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.RocScreenshots "$out" "$theme"
# File → Import ONNX…: needs the torch venv (KILN_TORCH_PYTHON) to make the PyTorch models it imports.
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx2g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.ImportScreenshots "$out" "$theme"
# Training → Sweep…: six trials of the tabular sample (40 epochs each, about 40 s), the results and the chart.
OMP_WAIT_POLICY=PASSIVE xvfb-run -a -s "-screen 0 1400x900x24" \
  java -Xmx2g -Dprism.order=sw -cp "target/classes:target/test-classes:$(cat "$cp_file")" kiln.app.training.SweepScreenshots "$out" "$theme"
ls -l "$out"/*.png
