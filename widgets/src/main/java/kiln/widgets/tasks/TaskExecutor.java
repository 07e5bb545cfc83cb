package kiln.widgets.tasks;

import javafx.collections.ObservableList;
import kiln.engine.util.AtomicFiles;
import kiln.engine.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Writes a file atomically as work on the executor (views never touch files on the JavaFX thread). */
    default TaskHandle save(String title, Path target, AtomicFiles.Writer writer, Consumer<? super Path> onSaved,
                            Consumer<Throwable> onFailure) {
        return submit(title, progress -> {
            AtomicFiles.write(target, writer);
            return target;
        }, onSaved, onFailure);
    }

    /** Writes these bytes atomically as work on the executor. */
    default TaskHandle save(String title, Path target, byte[] content, Consumer<? super Path> onSaved,
                            Consumer<Throwable> onFailure) {
        return save(title, target, tmp -> Files.write(tmp, content), onSaved, onFailure);
    }

    /** The work in progress, for a status bar; changes on the JavaFX thread. */
    ObservableList<TaskHandle> running();

    /** Cancels everything and lets the threads end (on quit). */
    void shutdown();
}
