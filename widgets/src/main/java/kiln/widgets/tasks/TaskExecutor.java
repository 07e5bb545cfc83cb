package kiln.widgets.tasks;

import javafx.collections.ObservableList;
import kiln.engine.util.Progress;

import java.util.function.Consumer;

/**
 * Runs long work (loading data, training, evaluation, export, big previews) off the JavaFX thread and hands
 * the result back on it. {@link FxTaskExecutor} is the real one; {@link SameThreadTaskExecutor} runs work at
 * once on the caller's thread, for tests of view models.
 */
public interface TaskExecutor {

    /**
     * Starts the work. Exactly one of the callbacks runs afterwards on the JavaFX thread: onSuccess with the
     * result, or onFailure with the exception. Cancelled work (it threw {@link Progress.CancelledException}
     * or returned after {@link TaskHandle#cancel()}) calls neither.
     */
    <T> TaskHandle submit(String title, Work<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure);

    /** The work in progress, for a status bar; changes on the JavaFX thread. */
    ObservableList<TaskHandle> running();

    /** Cancels everything and lets the threads end (on quit). */
    void shutdown();
}
