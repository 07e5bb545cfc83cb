package kiln.app.training;

import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.TrainingEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The run in progress, or the last one of this session: the one the charts, hints and status line follow. Its
 * epochs are all it has trained (a continued run's earlier ones too); the session's epochs time what is left.
 * JavaFX thread only.
 */
final class LiveRun {

    private String id;
    private String label;
    private final List<TrainingEvent.EpochFinished> metrics = new ArrayList<>();
    private final List<LayerDynamics> dynamics = new ArrayList<>();
    private final List<TrainingEvent.EpochFinished> sessionEpochs = new ArrayList<>();
    private TrainingEvent.Started started;

    /** A new run is being prepared, or {@code continued} (null for a new one) is about to train further. */
    void prepare(RunRow continued) {
        started = null;
        id = continued == null ? null : continued.id();
        label = continued == null ? null : continued.label();
        metrics.clear();
        dynamics.clear();
        sessionEpochs.clear();
        if (continued != null) {
            metrics.addAll(continued.metrics());
            dynamics.addAll(continued.dynamics());
        }
    }

    /** The run's first event; the next run of a group ({@code fresh}) starts with nothing of the one before. */
    void started(TrainingEvent.Started s, boolean fresh) {
        if (fresh) prepare(null);
        started = s;
        id = s.runId();
        if (label == null) label = s.runId();
    }

    void epochFinished(TrainingEvent.EpochFinished e) {
        metrics.removeIf(m -> m.epoch() == e.epoch());
        metrics.add(e);
        sessionEpochs.add(e);
    }

    void measured(TrainingEvent.LayersMeasured m) {
        dynamics.removeIf(d -> d.epoch() == m.epoch());
        dynamics.addAll(m.layers());
    }

    /** Its run was deleted: nothing is followed any more. */
    void forget() {
        prepare(null);
    }

    boolean is(String runId) {
        return id != null && id.equals(runId);
    }

    void renamed(String newLabel) {
        label = newLabel;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    List<TrainingEvent.EpochFinished> metrics() {
        return metrics;
    }

    List<LayerDynamics> dynamics() {
        return dynamics;
    }

    List<TrainingEvent.EpochFinished> sessionEpochs() {
        return sessionEpochs;
    }

    /** Null until the run's Started event has come. */
    TrainingEvent.Started started() {
        return started;
    }

    /** The share of this session's epochs done at the end of batch {@code b}. */
    double done(TrainingEvent.BatchFinished b) {
        int epochs = started.lastEpoch() - started.firstEpoch() + 1;
        return (b.epoch() - started.firstEpoch() + (double) b.batch() / b.batchesPerEpoch()) / epochs;
    }
}
