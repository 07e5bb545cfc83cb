package kiln.widgets.tasks;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import kiln.engine.util.Progress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The app's executor: a small pool of daemon threads. Progress updates are coalesced so that a loop
 * reporting thousands of times per second causes at most one pending UI update at a time.
 */
public final class FxTaskExecutor implements TaskExecutor {

    private final ExecutorService pool;
    private final ObservableList<TaskHandle> running = FXCollections.observableArrayList();
    private final ObservableList<TaskHandle> runningView = FXCollections.unmodifiableObservableList(running);

    public FxTaskExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kiln-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> TaskHandle submit(String title, Work<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        TaskHandle handle = new TaskHandle(title);
        onFx(() -> running.add(handle));
        CoalescingProgress progress = new CoalescingProgress(handle);
        pool.execute(() -> {
            T result;
            try {
                result = work.call(progress);
            } catch (Progress.CancelledException e) {
                onFx(() -> end(handle));
                return;
            } catch (Throwable e) {
                onFx(() -> {
                    end(handle);
                    if (!handle.isCancelled()) onFailure.accept(e);
                });
                return;
            }
            onFx(() -> {
                end(handle);
                if (!handle.isCancelled()) onSuccess.accept(result);
            });
        });
        return handle;
    }

    private void end(TaskHandle handle) {
        handle.running.set(false);
        running.remove(handle);
    }

    @Override
    public ObservableList<TaskHandle> running() {
        return runningView;
    }

    @Override
    public void shutdown() {
        running.forEach(TaskHandle::cancel);
        pool.shutdownNow();
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) r.run();
        else Platform.runLater(r);
    }

    /** Keeps only the newest update; schedules a UI update only when none is pending. */
    private static final class CoalescingProgress implements Progress {
        private record Update(double fraction, String message) { }

        private final TaskHandle handle;
        private final AtomicReference<Update> pending = new AtomicReference<>();

        CoalescingProgress(TaskHandle handle) {
            this.handle = handle;
        }

        @Override
        public void update(double fraction, String message) {
            if (pending.getAndSet(new Update(fraction, message)) == null) {
                Platform.runLater(() -> {
                    Update u = pending.getAndSet(null);
                    if (u == null) return;
                    handle.progress.set(u.fraction());
                    if (u.message() != null) handle.message.set(u.message());
                });
            }
        }

        @Override
        public boolean isCancelled() {
            return handle.isCancelled();
        }
    }
}
