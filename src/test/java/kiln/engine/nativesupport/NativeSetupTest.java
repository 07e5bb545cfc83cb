package kiln.engine.nativesupport;

import kiln.engine.data.BundledData;
import kiln.engine.project.ProjectIO;
import kiln.engine.train.GraphCompiler;
import kiln.engine.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails when convolutions lose oneDNN (e.g. after an ND4J upgrade renames the class the shim stands in for). */
class NativeSetupTest {

    @Test
    void convolutionsRunThroughOneDnn() throws Exception {
        NativeSetup.prepare();
        var project = ProjectIO.load(BundledData.sampleProjectsFolder().orElseThrow().resolve("mnist-cnn"));

        ComputationGraph net = GraphCompiler.compile(project.graph(), TrainingSettings.defaults());

        assertTrue(NativeSetup.oneDnnActive(net), "every Conv2D layer should have DL4J's oneDNN helper");
    }
}
