package kiln.app.training;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a training run is, and the moves between states that can happen. A run goes
 * idle → preparing (data loads) → training ⇄ paused → stopping → finished, failed or cancelled; it can end
 * from any active state (a stop while the data loads, a failure in the first batch, a pause pressed after the
 * last batch), and a new run starts from idle or from the end of the last one.
 */
public enum RunState {
    IDLE, PREPARING, TRAINING, PAUSED, STOPPING, FINISHED, FAILED, CANCELLED;

    /** True while a run is under way: the project is locked and no other run can start. */
    public boolean isActive() {
        return this == PREPARING || this == TRAINING || this == PAUSED || this == STOPPING;
    }

    /** True for the state a run ends in. */
    public boolean isEnd() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }

    /** Whether a run in this state can move to {@code next}. */
    public boolean canMoveTo(RunState next) {
        return next(this).contains(next);
    }

    /**
     * The state after {@code next}, refusing a move the run cannot make (a bug in whoever asks for it).
     *
     * @throws IllegalStateException for a move that is not allowed
     */
    public RunState moveTo(RunState next) {
        if (!canMoveTo(next)) throw new IllegalStateException("A run cannot go from " + this + " to " + next);
        return next;
    }

    private static Set<RunState> next(RunState s) {
        Set<RunState> ends = EnumSet.of(FINISHED, FAILED, CANCELLED);
        return switch (s) {
            case IDLE, FINISHED, FAILED, CANCELLED -> EnumSet.of(PREPARING);
            case PREPARING -> with(ends, TRAINING, STOPPING);
            case TRAINING -> with(ends, PAUSED, STOPPING);
            // a pause pressed after the last batch holds nothing: the run still ends
            case PAUSED -> with(ends, TRAINING, STOPPING);
            case STOPPING -> ends;
        };
    }

    private static Set<RunState> with(Set<RunState> base, RunState... more) {
        Set<RunState> all = EnumSet.copyOf(base);
        all.addAll(Set.of(more));
        return all;
    }
}
