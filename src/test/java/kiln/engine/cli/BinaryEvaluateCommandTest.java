package kiln.engine.cli;

import kiln.engine.eval.BinaryCurves;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.export.OnnxExporter;
import kiln.engine.export.PyTorchExporter;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate on a yes/no task (ROC and PR areas, --predictions, the decision threshold) and the threshold in predict and the exports. */
class BinaryEvaluateCommandTest {

    @TempDir
    static Path dir;
    static Path trained;

    @BeforeAll
    static void train() throws Exception {
        trained = Files.createDirectories(dir.resolve("binary"));
        Project p = TrainedProjects.copySample("tabular-binary", trained);
        TrainedProjects.train(p, trained, 0, 5);
    }

    private static Evaluation evaluation(Path folder) throws Exception {
        Project p = ProjectIO.load(folder);
        return Evaluator.evaluate(TrainedModel.load(p, folder, "run-1", TrainedModel.Weights.BEST, Progress.NONE), Progress.NONE);
    }

    @Test
    void evaluatePrintsTheAreasUnderTheRocAndPrCurves() throws Exception {
        CliRun r = kiln("evaluate", trained.toString(), "--run", "run-1");
        assertEquals(0, r.code(), r.err());
        BinaryCurves curves = BinaryCurves.of(evaluation(trained));
        assertTrue(curves.rocAuc() > 0.9, "a network trained 5 epochs separates the classes: " + curves.rocAuc());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%nroc auc: %.4f%n", curves.rocAuc())), r.out());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "pr auc: %.4f (average precision, positive class malignant)",
                curves.averagePrecision())), r.out());
        assertTrue(r.out().contains("threshold: 0.5000 (malignant when its probability is at least 0.5000)"), r.out());
    }

    @Test
    void predictionsFileHoldsEveryTestSample() throws Exception {
        Path file = dir.resolve("out/predictions.csv");
        Files.createDirectories(file.getParent());
        CliRun r = kiln("evaluate", trained.toString(), "--predictions", file.toString());
        assertEquals(0, r.code(), r.err());
        Evaluation e = evaluation(trained);
        List<String> lines = Files.readAllLines(file);
        assertEquals("index,true,predicted,p_benign,p_malignant", lines.get(0));
        assertEquals(e.size() + 1, lines.size());
        assertTrue(r.out().contains("predictions: " + e.size() + " rows in " + file), r.out());
        for (int i = 0; i < e.size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(Integer.toString(i), cells[0]);
            assertEquals(e.classNames().get(e.actual()[i]), cells[1], "true class of sample " + i);
            assertEquals(e.classNames().get(e.predicted(i)), cells[2], "predicted class of sample " + i);
            assertEquals(e.probability(i, 0), Float.parseFloat(cells[3]), 1e-6);
            assertEquals(e.probability(i, 1), Float.parseFloat(cells[4]), 1e-6);
        }
    }

    @Test
    void theSavedThresholdDecidesEvaluatePredictAndTheExports() throws Exception {
        Path folder = copy(trained, dir.resolve("threshold"));
        Evaluation plain = evaluation(folder);
        int benign = -1;
        for (int i = 0; i < plain.size() && benign < 0; i++) {
            if (plain.actual()[i] == 0 && plain.predicted(i) == 0) benign = i;
        }
        String row = Stream.of(box(TrainedProjects.rawSample(ProjectIO.load(folder), folder, benign)))
                .map(v -> Float.toString(v)).collect(Collectors.joining(","));
        assertTrue(kiln("predict", folder.toString(), row).out().contains("row: benign"), "before a threshold is saved");

        // a threshold at half this sample's probability of malignant makes it malignant
        double p = plain.probability(benign, 1) / 2;
        CliRun save = kiln("evaluate", folder.toString(), "--threshold", Double.toString(p), "--save-threshold");
        assertEquals(0, save.code(), save.err());
        assertTrue(save.out().contains("saved with run-1"), save.out());
        assertTrue(Files.exists(RunFolder.open(folder.resolve("runs/run-1")).thresholdFile()));

        CliRun predicted = kiln("predict", folder.toString(), row);
        assertEquals(0, predicted.code(), predicted.err());
        assertTrue(predicted.out().contains("row: malignant"), predicted.out());
        assertTrue(predicted.out().contains("decision threshold: " + String.format(Locale.ROOT, "%.4f", p)), predicted.out());

        Evaluation saved = evaluation(folder);
        assertEquals(p, saved.threshold(), 1e-12);
        assertEquals(1, saved.predicted(benign));
        CliRun evaluated = kiln("evaluate", folder.toString());
        assertTrue(evaluated.out().contains(String.format(Locale.ROOT, "accuracy %.4f", saved.accuracy())), evaluated.out());
        assertTrue(evaluated.out().contains("saved with the run"), evaluated.out());

        Path onnx = dir.resolve("threshold.onnx");
        assertEquals(0, kiln("export", folder.toString(), "--format", "onnx", "--out", onnx.toString()).code());
        Map<String, String> meta = OnnxExporter.build(TrainedModel.load(ProjectIO.load(folder), folder, null,
                TrainedModel.Weights.BEST, Progress.NONE), Progress.NONE).getMetadataPropsList().stream()
                .collect(Collectors.toMap(m -> m.getKey(), m -> m.getValue()));
        assertEquals(Double.toString(p), meta.get("kiln.threshold"));
        assertTrue(meta.get("kiln.decision").startsWith("predict \"malignant\" when its probability is at least"), meta.toString());

        Path torch = dir.resolve("threshold-pytorch");
        assertEquals(0, kiln("export", folder.toString(), "--format", "pytorch", "--out", torch.toString()).code());
        String code = Files.readString(torch.resolve(PyTorchExporter.MODEL));
        assertTrue(code.contains("THRESHOLD = " + p + "\n"), code);
        assertTrue(Files.readString(torch.resolve(PyTorchExporter.EVALUATE)).contains(">= THRESHOLD"));

        CliRun bad = kiln("evaluate", folder.toString(), "--threshold", "1.5");
        assertEquals(1, bad.code());
        assertEquals("kiln: --threshold is 1.5; give a probability between 0 and 1.", bad.err().strip());
    }

    @Test
    void aBrokenThresholdFileIsExplained() throws Exception {
        Path folder = copy(trained, dir.resolve("broken"));
        Files.writeString(folder.resolve("runs/run-1/threshold.json"), "{\"format\": \"kiln-threshold\", \"positiveClass\": \"malignant\", \"threshold\": 7}");
        CliRun r = kiln("evaluate", folder.toString());
        assertEquals(1, r.code());
        assertEquals("kiln: The decision threshold of run-1 cannot be used: runs/run-1/threshold.json: a decision threshold "
                + "is a probability between 0 and 1, not 7.0; delete it, or save the threshold again from the Evaluation tab",
                r.err().strip());
        assertFalse(r.out().contains("roc auc"));
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
        return to;
    }
}
