package kiln.app.training;

import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time-left estimate: from throughput before the first epoch ends, from measured epochs after. */
class EtaTest {

    private final TrainingEvent.Started run = new TrainingEvent.Started("run-1", 1, 4, 100, 6400, 2);

    @Test
    void beforeAnEpochEndsTheThroughputDecides() {
        // 6400 samples at 640 per second: 10 s an epoch; a quarter of epoch 1 done, 3 more epochs to go.
        var batch = new TrainingEvent.BatchFinished(1, 25, 100, 0.5, 640);
        assertEquals(7.5 + 30, Eta.secondsLeft(run, batch, List.of()), 1e-9);
    }

    @Test
    void afterAnEpochTheMeasuredEpochTimeDecidesBecauseItIncludesScoring() {
        var epoch1 = new TrainingEvent.EpochFinished(1, 0.4, 0.9, 0.35, 0.9, 12.0, 1e-3, true);
        var batch = new TrainingEvent.BatchFinished(2, 50, 100, 0.3, 640);
        assertEquals(6 + 24, Eta.secondsLeft(run, batch, List.of(epoch1)), 1e-9);
    }

    @Test
    void aGroupAddsEachRunStillToComeAtTheLengthOfItsFinishedRunsOrElseOfThisRun() {
        var epoch1 = new TrainingEvent.EpochFinished(1, 0.4, 0.9, 0.35, 0.9, 12.0, 1e-3, true);
        var batch = new TrainingEvent.BatchFinished(2, 50, 100, 0.3, 640);
        // This run: 30 s left; a whole run is 4 epochs of 12 s.
        assertEquals(30, Eta.groupSecondsLeft(run, batch, List.of(epoch1), 0, List.of()), 1e-9);
        assertEquals(30 + 2 * 48, Eta.groupSecondsLeft(run, batch, List.of(epoch1), 2, List.of()), 1e-9);
        assertEquals(30 + 2 * 40, Eta.groupSecondsLeft(run, batch, List.of(epoch1), 2, List.of(38.0, 42.0)), 1e-9);
    }

    @Test
    void describedInPlainWords() {
        assertEquals("estimating time left", Eta.describe(Double.NaN));
        assertEquals("less than 5 s left", Eta.describe(3));
        assertEquals("about 42 s left", Eta.describe(42.2));
        assertEquals("about 2 min 5 s left", Eta.describe(125));
        assertTrue(Eta.describe(7300).startsWith("about 2 h 1 min"));
    }
}
