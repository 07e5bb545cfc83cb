package kiln.app.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static kiln.app.training.RunState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStateTest {

    @Test
    void aRunGoesFromIdleThroughTrainingAndPausingToItsEnd() {
        RunState s = IDLE;
        for (RunState next : List.of(PREPARING, TRAINING, PAUSED, TRAINING, STOPPING, CANCELLED, PREPARING,
                TRAINING, FINISHED, PREPARING, FAILED, PREPARING, STOPPING, CANCELLED)) {
            s = s.moveTo(next);
        }
        assertEquals(CANCELLED, s);
    }

    @Test
    void movesARunCannotMakeAreRefused() {
        assertThrows(IllegalStateException.class, () -> IDLE.moveTo(TRAINING), "training without preparing");
        assertThrows(IllegalStateException.class, () -> IDLE.moveTo(FINISHED));
        assertThrows(IllegalStateException.class, () -> IDLE.moveTo(CANCELLED), "nothing to cancel");
        assertThrows(IllegalStateException.class, () -> PAUSED.moveTo(PREPARING), "one run at a time");
        assertThrows(IllegalStateException.class, () -> STOPPING.moveTo(TRAINING), "a stop is not taken back");
        assertThrows(IllegalStateException.class, () -> STOPPING.moveTo(PAUSED));
        assertThrows(IllegalStateException.class, () -> FINISHED.moveTo(TRAINING), "an ended run starts over");
        assertThrows(IllegalStateException.class, () -> PREPARING.moveTo(PREPARING), "one run at a time");
        assertThrows(IllegalStateException.class, () -> TRAINING.moveTo(IDLE));
    }

    @Test
    void everyActiveStateCanBeStoppedOrEndedAndNoEndedStateIsActive() {
        for (RunState s : values()) {
            assertTrue(s.isActive() != (s == IDLE || s.isEnd()), s.toString());
            if (s.isActive() && s != STOPPING) assertTrue(s.canMoveTo(STOPPING), s + " can be stopped");
            // the run's end is the engine's: it must be shown whatever the student pressed last
            if (s.isActive()) assertTrue(s.canMoveTo(FINISHED) && s.canMoveTo(CANCELLED) && s.canMoveTo(FAILED), s + " can end");
            if (!s.isActive()) {
                List<RunState> allowed = new ArrayList<>();
                for (RunState n : values()) if (s.canMoveTo(n)) allowed.add(n);
                assertEquals(List.of(PREPARING), allowed, "only a new run leaves " + s);
            }
        }
        assertEquals(EnumSet.of(PREPARING, TRAINING, PAUSED, STOPPING),
                EnumSet.copyOf(List.of(values()).stream().filter(RunState::isActive).toList()));
        assertFalse(IDLE.isEnd());
    }
}
