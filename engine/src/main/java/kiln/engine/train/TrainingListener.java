package kiln.engine.train;

/** Receives a run's events on the training thread; implementations hand them on quickly. */
@FunctionalInterface
public interface TrainingListener {
    void onEvent(TrainingEvent event);
}
