package kiln.engine.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import kiln.engine.data.Dataset;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.RegressionEvaluation;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.LinearProjects;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A regression model exported to ONNX and PyTorch answers in the target's unit, as Kiln's Predictor does. */
class RegressionExportTest {

    @TempDir
    Path dir;

    private TrainedModel trained() throws Exception {
        Project p = LinearProjects.line(dir, "linear_mse");
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, dir, 0, Progress.NONE);
        assertInstanceOf(TrainingEvent.Finished.class, TrainingSession.newRun(p, dir, data, 0, e -> { }).run());
        return TrainedModel.load(p, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
    }

    @Test
    void onnxRuntimeGivesKilnsPredictionsInTheTargetsUnit() throws Exception {
        TrainedModel model = trained();
        Path file = dir.resolve("out/model.onnx");
        OnnxExporter.export(model, file, Progress.NONE);
        Dataset raw = TrainedProjects.rawTest(model.project(), dir);
        Predictor predictor = new Predictor(model);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw.features()), new long[] {raw.size(), 1});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, in))) {
            float[][] out = (float[][]) result.get(0).getValue();
            for (int i = 0; i < raw.size(); i++) {
                double kiln = predictor.value(new float[] {raw.features()[i]});
                assertEquals(kiln, out[i][0], 1e-3, "test sample " + i);
                assertEquals(raw.targets()[i], out[i][0], 0.5, "ONNX predicts y itself, not its standardised value");
            }
        }
    }

    @Test
    void thePyTorchTrainingFolderSaysItTrainsClassesOnly() throws Exception {
        TrainedModel model = trained();
        ExportException e = org.junit.jupiter.api.Assertions.assertThrows(ExportException.class,
                () -> PyTorchTrainExporter.export(model, dir.resolve("train-folder"), Progress.NONE));
        assertTrue(e.getMessage().contains("trains classes only so far") && e.getMessage().contains("predicts a number (y)")
                && e.getMessage().contains("ONNX or PyTorch instead"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("train-folder")), "nothing written");
    }

    @Test
    void pyTorchEvaluatePrintsKilnsR2() throws Exception {
        String python = PyTorchExportTest.torchPython().orElse(null);
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        TrainedModel model = trained();
        Path out = dir.resolve("export/pytorch");
        PyTorchExporter.export(model, out, Progress.NONE);
        Path predictions = dir.resolve("values.npy");
        Process proc = new ProcessBuilder(python, out.resolve(PyTorchExporter.EVALUATE).toString(), predictions.toString())
                .redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "evaluate.py did not finish");
        assertEquals(0, proc.exitValue(), printed);

        RegressionEvaluation kiln = Evaluator.evaluateNumbers(model, Progress.NONE);
        float[] torch = PyTorchExportTest.readNpy(predictions);
        assertEquals(kiln.size(), torch.length);
        for (int i = 0; i < torch.length; i++) assertEquals(kiln.predicted()[i], torch[i], 1e-3, "test sample " + i);
        assertTrue(printed.contains(String.format(Locale.ROOT, "r2 %.4f", kiln.r2())), printed + " vs " + kiln.r2());
    }
}
