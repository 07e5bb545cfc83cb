package kiln.widgets.tasks;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One piece of background work as the UI sees it: title, progress (−1 while unknown), message, running.
 * Properties change on the JavaFX thread only; {@link #cancel()} may be called from any thread.
 */
public final class TaskHandle {

    private final String title;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
    final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(true);

    TaskHandle(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** Asks the work to stop; it notices at its next {@code Progress.isCancelled()} check. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Runs {@code ended} once the work has ended, on the JavaFX thread; at once if it already has. */
    public void whenEnded(Runnable ended) {
        if (!running.get()) {
            ended.run();
            return;
        }
        running.addListener((o, was, on) -> {
            if (!on) ended.run();
        });
    }
}
