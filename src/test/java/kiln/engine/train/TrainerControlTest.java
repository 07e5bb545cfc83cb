package kiln.engine.train;

import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pause, resume, stop and continue act at batch boundaries and leave a usable network. */
class TrainerControlTest {

    @TempDir
    Path projectFolder;

    private static long batches(List<TrainingEvent> events) {
        return events.stream().filter(e -> e instanceof TrainingEvent.BatchFinished).count();
    }

    @Test
    void pauseHoldsTrainingUntilResumeAndStopCancelsAtABatchBoundary() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp", 1);
        TrainingSession.PreparedData data = TrainingFixtures.slice(p, 3200, 200);
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch pausedAtFive = new CountDownLatch(1);
        Trainer[] holder = new Trainer[1];
        Trainer trainer = TrainingSession.newRun(p, projectFolder, data, 3200, e -> {
            events.add(e);
            if (e instanceof TrainingEvent.BatchFinished b && b.batch() == 5) {
                holder[0].pause();
                pausedAtFive.countDown();
            }
        });
        holder[0] = trainer;
        CompletableFuture<TrainingEvent> result = CompletableFuture.supplyAsync(trainer::run);

        assertTrue(pausedAtFive.await(60, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertEquals(5, batches(events), "no batch runs while paused");
        assertTrue(trainer.isPaused());
        trainer.resume();
        while (batches(events) < 8) Thread.sleep(5);
        trainer.stop();
        TrainingEvent end = result.get(60, TimeUnit.SECONDS);

        TrainingEvent.Cancelled cancelled = assertInstanceOf(TrainingEvent.Cancelled.class, end);
        assertEquals(0, cancelled.epochsCompleted());
        assertTrue(batches(events) < 50, "stopped within a batch or two of the request, not at the end of the epoch");
        assertFalse(trainer.parameters().learnedBuffer().isNaN().any(), "weights stay finite");
        assertEquals("cancelled", RunFolder.list(projectFolder).get(0).readRecord().status());
    }

    @Test
    void aRunContinuesFromItsCheckpointForMoreEpochs() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp", 1);
        TrainingSession.PreparedData data = TrainingFixtures.slice(p, 1000, 200);
        List<TrainingEvent> first = new CopyOnWriteArrayList<>();
        assertInstanceOf(TrainingEvent.Finished.class,
                TrainingSession.newRun(p, projectFolder, data, 1000, first::add).run());
        RunFolder run = RunFolder.list(projectFolder).get(0);

        List<TrainingEvent> second = new CopyOnWriteArrayList<>();
        Trainer more = TrainingSession.continueRun(p, run, data, 2, second::add);
        assertInstanceOf(TrainingEvent.Finished.class, more.run());

        TrainingEvent.Started started = (TrainingEvent.Started) second.get(0);
        assertEquals(2, started.firstEpoch());
        assertEquals(3, started.lastEpoch());
        assertEquals(List.of(1, 2, 3), run.readMetrics().stream().map(TrainingEvent.EpochFinished::epoch).toList());
        assertEquals(3, run.readRecord().epochsCompleted());
        assertEquals(3, run.readRecord().settings().epochs());
    }
}
