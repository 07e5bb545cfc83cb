package kiln.engine.train;

import kiln.engine.data.CsvReader;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.RegressionEvaluation;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"linear_mse", "linear_mae"})
    void aLinearOutputLearnsALineAndAnswersInTheTargetsUnit(String loss) throws Exception {
        Project p = LinearProjects.line(dir, loss);
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, dir, 0, Progress.NONE);
        assertTrue(data.encoding().numeric());
        assertEquals(140, data.splits().train().size());
        // Standardised with the training split's own statistics.
        var scale = LabelEncoding.TargetScale.of(data.splits().train().targets());
        assertEquals(scale, data.encoding().targetScale());
        assertTrue(scale.std() > 4, "y = 2x + 1 over −5..5 spreads by about 5.8: " + scale);

        TrainingEvent end = TrainingSession.newRun(p, dir, data, 0, e -> { }).run();
        TrainingEvent.Finished f = assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
        assertTrue(f.testAccuracy() > 0.99, "test R² " + f.testAccuracy());

        TrainedModel model = TrainedModel.load(p, dir, null, TrainedModel.Weights.LAST, Progress.NONE);
        RegressionEvaluation e = Evaluator.evaluateNumbers(model, Progress.NONE);
        assertEquals(f.testAccuracy(), e.r2(), 1e-6, "the run's score is the evaluation's R²");
        assertTrue(e.mae() < 0.2, "mean absolute error " + e.mae());
        // Raw x in, y out: the pipeline standardises x and the inverse of the target's standardisation gives y back.
        Predictor predictor = new Predictor(model);
        assertEquals(7.0, predictor.value(new float[] {3f}), 0.25);
        assertEquals(-5.0, predictor.value(new float[] {-3f}), 0.25);
        // Follow a sample: every layer's output, and no class probabilities to show for a number.
        var trace = new kiln.engine.eval.SampleTrace(model).ofRaw(new float[] {3f});
        assertEquals(java.util.List.of("input", "output"), trace.layers().stream().map(l -> l.name()).toList());
        assertEquals(null, trace.prediction());
        assertEquals(7.0, model.data().encoding().value(trace.layer("output").orElseThrow().values(), 0), 0.25);
    }

    @Test
    void metricsAgreeWithHandComputedValues() {
        RegressionEvaluation e = new RegressionEvaluation("y", new float[] {1, 2, 3, 4}, new float[] {1, 2, 3, 5});
        assertEquals(0.25, e.mse(), 1e-12);
        assertEquals(0.25, e.mae(), 1e-12);
        assertEquals(1 - 1.0 / 5.0, e.r2(), 1e-12); // residual SS 1, total SS 5
        assertEquals(1.0, e.residual(3), 1e-12);
        RegressionEvaluation mean = new RegressionEvaluation("y", new float[] {1, 2, 3, 4}, new float[] {2.5f, 2.5f, 2.5f, 2.5f});
        assertEquals(0.0, mean.r2(), 1e-12, "always predicting the mean explains nothing");
    }

    @Test
    void theStandardisationIsUndoneExactly() {
        var scale = LabelEncoding.TargetScale.of(new float[] {10, 20, 30, 40});
        assertEquals(25, scale.mean(), 1e-12);
        assertEquals(Math.sqrt(125), scale.std(), 1e-12);
        for (double y : new double[] {-3, 0, 25, 1234.5}) assertEquals(y, scale.restore(scale.normalise(y)), 1e-9);
        assertEquals(1, LabelEncoding.TargetScale.of(new float[] {5, 5, 5}).std(), "a constant target is not divided by 0");
    }

    @Test
    void aTargetCellThatIsNotANumberIsNamedByLine() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,b,price\n1,2,3.5\n4,5,6\n7,8,lots\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(csv, "price", true));
        assertTrue(e.getMessage().contains("line 4 has \"lots\" in the target column \"price\""), e.getMessage());
        assertTrue(e.getMessage().contains("write a number there"), e.getMessage());

        var read = CsvReader.read(csv, "price", false).data();
        assertFalse(read.numeric(), "read as classes the same file loads, as before");
        assertEquals(3, read.classCount());
    }

    @Test
    void aNumericTargetKeepsItsValuesThroughSplitsAndCleaning() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,price\n1,3.5\n1,3.5\n1,4\n2,\n");
        var d = CsvReader.read(csv, "price", true);
        assertEquals(3, d.data().size(), "the row without a target is left out");
        assertTrue(d.report().leftOut().get(0).contains("line 5"), d.report().leftOut().toString());
        assertEquals(4f, d.data().select(new int[] {2}, "x").targets()[0]);
        assertTrue(d.data().classNames().isEmpty());
        assertEquals("3.500", d.data().labelText(0));
    }

    @Test
    void anOutputThatPicksClassesIsRefusedForNumbers() throws Exception {
        Project p = LinearProjects.line(dir, "softmax_cross_entropy");
        TrainingSession.SetupException e = assertThrows(TrainingSession.SetupException.class,
                () -> TrainingSession.prepareData(p, dir, 0, Progress.NONE));
        assertTrue(e.getMessage().contains("output (Output) picks classes, but the data's target \"y\" is read as numbers"),
                e.getMessage());
        assertTrue(e.getMessage().contains("linear + mean squared error"), e.getMessage());
    }

    @Test
    void theTargetKindIsSavedOnlyWhenItIsNumbers() throws Exception {
        LinearProjects.line(dir, "linear_mse");
        String json = Files.readString(dir.resolve("project.json"));
        assertTrue(json.contains("\"target\" : \"number\""), json);
        assertEquals(new DataSourceSpec.Csv("line.csv", "y", true), ProjectIO.load(dir).data());

        Files.writeString(dir.resolve("project.json"), json.replace("\"target\" : \"number\"", "\"target\" : \"numbers\""));
        ProjectFormatException bad = assertThrows(ProjectFormatException.class, () -> ProjectIO.load(dir));
        assertTrue(bad.getMessage().contains("data.target") && bad.getMessage().contains("\"number\""), bad.getMessage());

        Files.writeString(dir.resolve("project.json"), json.replace(",\n    \"target\" : \"number\"", ""));
        assertFalse(((DataSourceSpec.Csv) ProjectIO.load(dir).data()).numericTarget(), "without the key: classes, as before");
    }
}
