package kiln.engine.nativesupport;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails when ND4J's native build without oneDNN comes onto the class path (its convolutions are several times slower). */
class NativeSetupTest {

    @Test
    void ndFourJRunsItsOneDnnBuild() {
        NativeSetup.useThreads(1);
        assertTrue(Nd4jCpu.Environment.getInstance().isUseONEDNN(), "ND4J should use its oneDNN kernels");
    }
}
