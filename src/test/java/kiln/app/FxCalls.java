package kiln.app;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/** For the screenshot and demo programs: run a piece of work on the JavaFX thread and wait for its result. */
public final class FxCalls {

    private FxCalls() { }

    public static <T> T fx(Callable<T> c) throws Exception {
        FutureTask<T> task = new FutureTask<>(c);
        Platform.runLater(task);
        return task.get();
    }

    public static void fx(Runnable r) throws Exception {
        fx(() -> {
            r.run();
            return null;
        });
    }
}
