package kiln.engine.train;

import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MNIST CNN sample learns from a small slice of real data, and the run is recorded on disk. */
class TrainingSmokeTest {

    @TempDir
    Path projectFolder;

    @Test
    void mnistCnnLearnsFromTwoThousandImagesInOneEpoch() throws Exception {
        Project p = TrainingFixtures.sample("mnist-cnn", 1);
        // Scored on the whole test split: on 1,000 images the standard error alone is about 1.2 points.
        TrainingSession.PreparedData data = TrainingFixtures.slice(p, 2000, 10_000);
        List<TrainingEvent> events = new ArrayList<>();
        Trainer trainer = TrainingSession.newRun(p, projectFolder, data, 2000, events::add);

        TrainingEvent end = trainer.run();

        TrainingEvent.Finished finished = assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
        assertTrue(finished.testAccuracy() >= 0.80, "test accuracy " + finished.testAccuracy());
        assertInstanceOf(TrainingEvent.Started.class, events.get(0));
        long batches = events.stream().filter(e -> e instanceof TrainingEvent.BatchFinished).count();
        assertEquals(32, batches, "2000 images in batches of 64");
        TrainingEvent.EpochFinished epoch = (TrainingEvent.EpochFinished) events.stream()
                .filter(e -> e instanceof TrainingEvent.EpochFinished).findFirst().orElseThrow();
        assertTrue(epoch.validationAccuracy() > 0.7, "validation accuracy " + epoch.validationAccuracy());
        assertTrue(epoch.trainLoss() < 2.3, "mean loss below chance level (ln 10 = 2.30): " + epoch.trainLoss());

        RunFolder run = RunFolder.list(projectFolder).get(0);
        RunRecord record = run.readRecord();
        assertEquals("completed", record.status());
        assertEquals(1, record.epochsCompleted());
        assertEquals(finished.testAccuracy(), record.testAccuracy(), 1e-12);
        assertEquals(1, run.readMetrics().size());
        assertTrue(Files.size(run.checkpoint()) > 0 && Files.size(run.best()) > 0);
        assertEquals(trainer.parameters().learnedBuffer(),
                TrainingFixtures.load(p, run, run.checkpoint()).parameters().learnedBuffer(),
                "checkpoint holds the trained weights exactly");
    }
}
