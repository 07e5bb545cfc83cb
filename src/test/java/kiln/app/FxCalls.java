package kiln.app;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

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

    /** Waits, checking on the JavaFX thread, until the condition holds; fails naming {@code what} after {@code seconds}. */
    public static void waitUntil(String what, int seconds, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (fx(condition::getAsBoolean)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    /** Waits, asking on the JavaFX thread, until {@code value} gives something other than null, and returns it. */
    public static <T> T waitFor(String what, int seconds, Callable<T> value) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            T v = fx(value);
            if (v != null) return v;
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
