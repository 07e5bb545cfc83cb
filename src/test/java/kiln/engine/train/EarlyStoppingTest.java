package kiln.engine.train;

import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class EarlyStoppingTest {

    @TempDir
    Path projectFolder;

    @Test
    void stopsWhenValidationLossStopsImprovingAndReportsTheBestEpoch() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp");
        p.setTraining(new TrainingSettings("adam", 1e-3, 0, "constant", 1, 1, 64, 6, 0, 1, 42, 1));
        TrainingSession.PreparedData real = TrainingFixtures.slice(p, 1000, 300);
        // Validation labels that carry no information: the more the network learns, the worse its validation loss.
        Dataset v = real.splits().validation();
        int[] shuffled = v.labels().clone();
        for (int i = 0; i < shuffled.length; i++) shuffled[i] = (shuffled[i] + 1 + i % 9) % 10;
        Dataset noise = new Dataset(v.sampleShape(), v.features(), shuffled, v.classNames(), "noise");
        TrainingSession.PreparedData data = new TrainingSession.PreparedData(
                new DataSplits(real.splits().train(), noise, real.splits().test()), real.pipeline(), real.encoding());
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();

        TrainingEvent end = TrainingSession.newRun(p, projectFolder, data, 1000, events::add).run();

        TrainingEvent.Finished f = assertInstanceOf(TrainingEvent.Finished.class, end);
        assertEquals(TrainingEvent.Ending.EARLY_STOPPED, f.ending());
        assertEquals(1, f.bestEpoch());
        assertEquals(2, events.stream().filter(e -> e instanceof TrainingEvent.EpochFinished).count(), "patience 1");
        RunFolder run = RunFolder.list(projectFolder).get(0);
        assertEquals("early_stopped", run.readRecord().status());
        Scores best = Scores.of(TrainingFixtures.load(p, run, run.best()), data.splits().test(), data.encoding(), Integer.MAX_VALUE);
        assertEquals(best.accuracy(), f.testAccuracy(), 1e-12, "test accuracy comes from the best epoch's weights");
    }
}
