package kiln.engine.train;

import kiln.engine.data.pipeline.Augmentations;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineFitter;
import kiln.engine.data.pipeline.PipelinePreview;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.data.pipeline.StandardizeStep;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The trainer feeds augmented batches when the pipeline augments, repeatably for a seed. */
class AugmentedTrainingTest {

    @TempDir
    Path folder;

    private static Pipeline withRotation(Pipeline base) {
        List<PipelineStep> steps = new ArrayList<>(base.steps());
        steps.add(0, new PipelineStep(Augmentations.Rotate.ID, true, Map.of("degrees", 15.0)));
        return new Pipeline(steps);
    }

    private INDArray trainOneEpoch(Project p, int train) throws Exception {
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), train, Progress.NONE);
        Trainer t = TrainingSession.newRun(p, folder, data, train, e -> { });
        assertInstanceOf(TrainingEvent.Finished.class, t.run());
        return t.parameters().learnedBuffer().dup();
    }

    @Test
    void augmentedRunsDifferFromPlainOnesAndRepeatForTheSameSeed() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp", 1);
        INDArray plain = trainOneEpoch(p, 500);
        p.setPipeline(withRotation(p.pipeline()));
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), 500, Progress.NONE);
        assertNotNull(data.augmentationSource(), "the trainer gets the images as they enter the rotation");
        INDArray augmented = trainOneEpoch(p, 500);
        INDArray again = trainOneEpoch(p, 500);
        assertNotEquals(plain, augmented, "rotated batches train other weights");
        assertEquals(augmented, again, "same seed, same augmented batches, same weights");
    }

    @Test
    void withoutAugmentationTheTrainerUsesThePreparedSplitAsIs() throws Exception {
        Project p = TrainingFixtures.sample("mnist-mlp");
        assertNull(TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), 200, Progress.NONE).augmentationSource());
    }

    @Test
    void previewAndTrainingComputeTheSameValuesForTheSameSettings() throws Exception {
        Project p = TrainingFixtures.sample("mnist-cnn");
        p.setPipeline(new Pipeline(List.of(new PipelineStep(ScaleStep.ID, true, Map.of()),
                new PipelineStep(StandardizeStep.ID, true, Map.of()))));
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, TrainingFixtures.samplesFolder(), 1000, Progress.NONE);
        kiln.engine.data.DataSplits raw = kiln.engine.data.DataLoader.load(p.data(), TrainingFixtures.samplesFolder(), p.split(), Progress.NONE);
        PipelineFitter fitter = new PipelineFitter(raw.train().head(1000));
        assertEquals(data.pipeline().describe(), fitter.fit(p.pipeline()).describe(), "same fitted constants");
        float[] preview = PipelinePreview.throughPipeline(fitter, p.pipeline(), new int[] {3, 700}, 1);
        int per = 784;
        float[] trained = data.splits().train().features();
        assertArrayEquals(java.util.Arrays.copyOfRange(trained, 3 * per, 4 * per), java.util.Arrays.copyOfRange(preview, 0, per));
        assertArrayEquals(java.util.Arrays.copyOfRange(trained, 700 * per, 701 * per), java.util.Arrays.copyOfRange(preview, per, 2 * per));
    }
}
