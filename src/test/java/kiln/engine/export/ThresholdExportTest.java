package kiln.engine.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import kiln.engine.data.Dataset;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.runs.DecisionThreshold;
import kiln.engine.train.Batches;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ai.onnx.proto.OnnxMl;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A yes/no run's saved decision threshold in the exports: the ONNX model's probabilities with kiln.threshold
 * beside them give Kiln's classes in ONNX Runtime, and evaluate.py predicts with THRESHOLD in real PyTorch.
 */
class ThresholdExportTest {

    @TempDir
    static Path dir;
    static Project project;
    static TrainedModel model;

    @BeforeAll
    static void trainAndSaveAThreshold() throws Exception {
        project = TrainedProjects.copySample("tabular-binary", dir);
        TrainedProjects.train(project, dir, 0, 5);
        TrainedModel trained = TrainedModel.load(project, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
        // a low threshold, so that it changes some answers from the more probable class
        trained.run().writeThreshold(new DecisionThreshold("malignant", 0.2));
        model = TrainedModel.load(project, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
    }

    @Test
    void theOnnxModelGivesProbabilitiesAndItsMetadataTheThreshold() throws Exception {
        Path file = dir.resolve("binary.onnx");
        OnnxExporter.export(model, file, Progress.NONE);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        double threshold = Double.parseDouble(meta.get("kiln.threshold"));
        assertEquals(0.2, threshold);

        Evaluation kiln = Evaluator.evaluate(model, Progress.NONE);
        assertTrue(countDiffering(kiln, kiln.withThreshold(0.5)) > 0, "the threshold changes some answers");
        Dataset raw = TrainedProjects.rawTest(project, dir);
        int n = raw.size();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw.features()), Batches.shape(raw.sampleShape(), n));
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, in))) {
            float[][] out = (float[][]) result.get(0).getValue();
            assertEquals(1, out[0].length, "one sigmoid unit: the probability of malignant");
            for (int i = 0; i < n; i++) {
                assertEquals(kiln.predicted(i), out[i][0] >= threshold ? 1 : 0, "class of test sample " + i);
            }
        }
    }

    @Test
    void evaluatePyPredictsWithTheSavedThreshold() throws Exception {
        String python = PyTorchExportTest.torchPython().orElse(null);
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        Path out = dir.resolve("pytorch");
        PyTorchExporter.export(model, out, Progress.NONE);
        Process proc = new ProcessBuilder(python, out.resolve(PyTorchExporter.EVALUATE).toString()).redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "evaluate.py did not finish");
        assertEquals(0, proc.exitValue(), printed);
        Evaluation kiln = Evaluator.evaluate(model, Progress.NONE);
        assertTrue(printed.contains(String.format(Locale.ROOT, "accuracy %.4f on %d test samples", kiln.accuracy(), kiln.size())),
                printed + " (Kiln at 0.2: " + kiln.accuracy() + ", at 0.5: " + kiln.withThreshold(0.5).accuracy() + ")");
    }

    private static int countDiffering(Evaluation a, Evaluation b) {
        int n = 0;
        for (int i = 0; i < a.size(); i++) if (a.predicted(i) != b.predicted(i)) n++;
        return n;
    }
}
