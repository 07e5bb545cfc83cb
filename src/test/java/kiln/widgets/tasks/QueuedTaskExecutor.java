package kiln.widgets.tasks;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Holds submitted work until the test calls {@link #runAll()}: what a view shows or writes before then was not
 * done in the background, so a test can tell file IO on the JavaFX thread from IO on the executor.
 */
public final class QueuedTaskExecutor implements TaskExecutor {

    private final SameThreadTaskExecutor now = new SameThreadTaskExecutor();
    private final Deque<Runnable> queued = new ArrayDeque<>();

    @Override
    public <T> TaskHandle submit(String title, Work<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        TaskHandle handle = new TaskHandle(title);
        queued.add(() -> {
            if (handle.isCancelled()) return;
            TaskHandle ran = now.submit(title, work, onSuccess, onFailure);
            handle.running.set(ran.runningProperty().get());
        });
        return handle;
    }

    /** Runs the queued work and whatever its callbacks submit, in order, on the calling thread. */
    public void runAll() {
        while (!queued.isEmpty()) queued.poll().run();
    }

    @Override
    public ObservableList<TaskHandle> running() {
        return FXCollections.emptyObservableList();
    }

    @Override
    public void shutdown() {
        queued.clear();
    }
}
