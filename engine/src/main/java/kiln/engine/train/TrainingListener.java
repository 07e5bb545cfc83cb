package kiln.engine.train;

import kiln.engine.runs.TrainingEvent;

/** Receives a run's events on the training thread; implementations hand them on quickly. */
@FunctionalInterface
public interface TrainingListener {
    void onEvent(TrainingEvent event);
}
