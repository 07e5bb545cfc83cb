package kiln.engine.train;

import kiln.engine.catalog.Params;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.ResizeStep;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.model.Node;
import kiln.engine.project.Project;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph's Input must match what the pipeline gives, not what the source gives. */
class PipelineShapeTest {

    @TempDir
    Path dir;

    @Test
    void theSourceShapeComesFromHeadersOnly() throws Exception {
        assertEquals(TensorShape.image(28, 28, 1), DataLoader.sampleShape(new DataSourceSpec.Bundled("mnist"), dir));
        Files.writeString(dir.resolve("t.csv"), "a,\"b,c\",d,label\n1,2,3,x\n");
        assertEquals(TensorShape.vector(3), DataLoader.sampleShape(new DataSourceSpec.Csv("t.csv", "label"), dir));
        assertEquals(TensorShape.image(32, 32, 3), DataLoader.sampleShape(new DataSourceSpec.Cifar10("/nowhere"), dir));
    }

    @Test
    void aResizeStepChangesWhatTheInputMustBe() throws Exception {
        Project p = TrainingFixtures.sample("mnist-cnn");
        p.setPipeline(new Pipeline(List.of(new PipelineStep(ResizeStep.ID, true, Map.of("height", 32, "width", 32)),
                new PipelineStep(ScaleStep.ID, true, Map.of()))));
        TrainingSession.SetupException e = assertThrows(TrainingSession.SetupException.class,
                () -> TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), 100, Progress.NONE));
        assertTrue(e.getMessage().contains("expects samples of 28×28×1 but the data gives 32×32×1; set the Input to 32×32×1"),
                e.getMessage());

        Node input = p.graph().node("input");
        p.graph().replace(input.withParams(Params.of(input.type(), Map.of("kind", "image", "height", 32, "width", 32, "channels", 1))));
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), 100, Progress.NONE);
        assertEquals(TensorShape.image(32, 32, 1), data.splits().train().sampleShape());
        assertEquals(TensorShape.image(32, 32, 1), data.splits().test().sampleShape(), "every split goes through the pipeline");
    }
}
