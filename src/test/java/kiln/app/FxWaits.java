package kiln.app;

import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** For TestFX tests: wait for a condition, or ask the JavaFX thread for a value. */
public final class FxWaits {

    private FxWaits() { }

    /** Waits until {@code condition} holds (TestFX asks it on the JavaFX thread); fails naming {@code what} after {@code seconds}. */
    public static void waitUntil(String what, int seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    /** {@code c}'s result, computed on the JavaFX thread within 10 seconds. */
    public static <T> T onFx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
