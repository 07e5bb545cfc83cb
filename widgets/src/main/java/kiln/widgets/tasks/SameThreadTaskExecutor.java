package kiln.widgets.tasks;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import kiln.engine.util.Progress;

import java.util.function.Consumer;

/** Runs work at once on the calling thread, callbacks included: for tests of view models and views. */
public final class SameThreadTaskExecutor implements TaskExecutor {

    private final ObservableList<TaskHandle> none = FXCollections.unmodifiableObservableList(FXCollections.observableArrayList());

    @Override
    public <T> TaskHandle submit(String title, Work<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        TaskHandle handle = new TaskHandle(title);
        Progress progress = new Progress() {
            @Override
            public void update(double fraction, String message) {
                handle.progress.set(fraction);
                if (message != null) handle.message.set(message);
            }

            @Override
            public boolean isCancelled() {
                return handle.isCancelled();
            }
        };
        try {
            T result = work.call(progress);
            handle.running.set(false);
            if (!handle.isCancelled()) onSuccess.accept(result);
        } catch (Progress.CancelledException e) {
            handle.running.set(false);
        } catch (Throwable e) {
            handle.running.set(false);
            onFailure.accept(e);
        }
        return handle;
    }

    @Override
    public ObservableList<TaskHandle> running() {
        return none;
    }

    @Override
    public void shutdown() {
        // nothing runs in the background
    }
}
