package kiln.engine.train;

import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingFailureTest {

    @TempDir
    Path projectFolder;

    @Test
    void aDivergingRunStopsWithAnExplanationInsteadOfTrainingOnNaN() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp");
        // Raw 0–255 pixels, a linear output with squared error and plain SGD at the highest allowed rate:
        // the outputs grow without bound and the loss overflows within a few batches.
        p.setPipeline(new Pipeline(List.of()));
        var out = p.graph().nodes().stream().filter(n -> n.typeId().equals("output")).findFirst().orElseThrow();
        p.graph().replace(out.withParams(out.params().with(out.type(), "loss", "linear_mse")));
        p.setTraining(new TrainingSettings("sgd", 10.0, 0, "constant", 1, 1, 64, 1, 0, 0, 42, 1));
        TrainingSession.PreparedData data = TrainingFixtures.slice(p, 1000, 100);

        TrainingEvent end = TrainingSession.newRun(p, projectFolder, data, 1000, e -> { }).run();

        TrainingEvent.Failed failed = assertInstanceOf(TrainingEvent.Failed.class, end);
        assertTrue(failed.message().contains("training diverged"), failed.message());
        assertTrue(failed.message().contains("Lower the learning rate (it is 10.0; try 1.0)"), failed.message());
        assertEquals("failed", RunFolder.list(projectFolder).get(0).readRecord().status());
    }

    @Test
    void settingsThatCannotTrainAreRefusedBeforeAnyDataIsLoaded() throws Exception {
        Project p = TrainingFixtures.sample("mnist-cnn");
        p.setTraining(p.training().withLearningRate(0).withBatchSize(0));

        TrainingSession.SetupException e = assertThrows(TrainingSession.SetupException.class,
                () -> TrainingSession.prepareData(p, projectFolder, 10, kiln.engine.util.Progress.NONE));

        assertTrue(e.getMessage().contains("Learning rate is 0.0; use a number above 0"), e.getMessage());
        assertTrue(e.getMessage().contains("Batch size is 0"), e.getMessage());
    }

    @Test
    void anOutputThatDoesNotMatchTheClassesIsExplained() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp");
        var out = p.graph().nodes().stream().filter(n -> n.typeId().equals("output")).findFirst().orElseThrow();
        p.graph().replace(out.withParams(out.params().with(out.type(), "units", 5)));

        TrainingSession.SetupException e = assertThrows(TrainingSession.SetupException.class,
                () -> TrainingSession.prepareData(p, projectFolder, 10, kiln.engine.util.Progress.NONE));

        assertTrue(e.getMessage().contains("has 5 units but the data has 10 classes; set its units to 10"), e.getMessage());
    }
}
