package kiln.widgets.tasks;

import kiln.engine.util.Progress;

/** Long work to run off the JavaFX thread. It reports through, and checks cancellation on, its Progress. */
@FunctionalInterface
public interface Work<T> {
    T call(Progress progress) throws Exception;
}
