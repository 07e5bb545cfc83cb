package kiln.engine.nativesupport;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Settings that make ND4J fast on a small CPU (measured with `kiln bench`, docs/performance.md). {@link #prepare()} must run
 * before the first ND4J class is touched: OpenMP reads its environment when the native library loads.
 */
public final class NativeSetup {

    private static boolean prepared;

    private NativeSetup() { }

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Passive OpenMP waiting. Safe to call more than once. */
    public static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        // Busy-waiting OpenMP threads starve the UI and any second process; keep a value the user set.
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            try {
                Native.loadLibrary("c", LibC.class).setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
            } catch (UnsatisfiedLinkError e) {
                System.err.println("Kiln: could not set OMP_WAIT_POLICY=PASSIVE (" + e.getMessage()
                        + "); training may be slower while other programs run.");
            }
        }
    }

    /**
     * Loads ND4J's native libraries and runs one op, which takes about a second the first time: the app does it
     * while the student looks at the project, so that pressing Train does not wait for it.
     */
    public static void warmUp() {
        prepare();
        Nd4j.create(DataType.FLOAT, 8, 8).mmul(Nd4j.create(DataType.FLOAT, 8, 8));
    }

    /**
     * Native math threads for work started from the calling thread. OpenMP keeps the count per thread,
     * so the training thread itself calls this.
     */
    public static void useThreads(int threads) {
        prepare();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
