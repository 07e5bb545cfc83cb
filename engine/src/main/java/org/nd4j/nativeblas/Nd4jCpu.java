package org.nd4j.nativeblas;

/**
 * Compatibility shim, not Kiln's own API. Deeplearning4j 1.0.0-M2.1 decides whether its oneDNN layer helpers
 * may run by reflecting on {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}, a class that
 * nd4j-native M2.1 renamed. Without this class the check fails silently and every convolution falls back
 * to the slow im2col path (see shared/bench/NOTES.md). Works on the class path only.
 */
public final class Nd4jCpu {

    private Nd4jCpu() { }

    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() { }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
