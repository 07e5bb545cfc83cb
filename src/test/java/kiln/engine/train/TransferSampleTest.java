package kiln.engine.train;

import kiln.engine.data.DataSplits;
import kiln.engine.model.ModelSummary;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.Param;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.Progress;
import kiln.engine.weights.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sample-projects/transfer-mnist-to-fashion: a copy opens, its 1,000 training images are drawn from Fashion-MNIST's
 * training split (all 10,000 test images kept), the pre-trained MNIST weights shipped inside it load into the
 * backbone while the Output is new, and a short fine-tune runs.
 */
class TransferSampleTest {

    @TempDir
    Path dir;

    @Test
    void theSampleOpensLoadsItsPretrainedBackboneAndFineTunes() throws Exception {
        NativeSetup.prepare();
        Path folder = SampleCopies.copy("transfer-mnist-to-fashion", dir.resolve("transfer"));
        Project p = ProjectIO.load(folder);
        assertEquals(List.of(), TrainingSession.problems(p));
        assertEquals(120_382, ModelSummary.of(p.graph()).totalParams());

        TrainingSession.PreparedData full = TrainingSession.prepareData(p, folder, 0, Progress.NONE);
        DataSplits s = full.splits();
        assertEquals(1000, s.train().size(), "the split keeps 1,000 training images");
        int[] perClass = new int[10];
        for (int label : s.train().labels()) perClass[label]++;
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, perClass, "drawn per class");
        assertEquals(10_000, s.test().size(), "the whole Fashion-MNIST test split");

        // A short fine-tune: one epoch on 64 of the images, scored on slices.
        TrainingSession.PreparedData slice = new TrainingSession.PreparedData(
                new DataSplits(s.train().head(64), s.validation().head(64), s.test().head(64)), full.pipeline(), full.encoding());
        p.setTraining(p.training().withEpochs(1));
        List<TrainingEvent> events = new ArrayList<>();
        Trainer trainer = TrainingSession.newRun(p, folder, slice, 64, events::add);

        assertEquals(List.of("conv1 (Conv2D): loaded (from pretrained)", "conv2 (Conv2D): loaded (from pretrained)",
                "dense1 (Dense): loaded (from pretrained)", "dense2 (Dense): loaded (from pretrained)"),
                trainer.transfer().stream().map(WeightTransfer.LayerResult::line).toList());
        Map<String, Tensor> pretrained = WeightTransfer.read(WeightTransfer.resolve(folder, "pretrained"));
        Param conv1 = trainer.parameters().params().stream().filter(q -> q.name().equals("conv1.weight")).findFirst().orElseThrow();
        double[] start = trainer.parameters().get(conv1);
        float[] shipped = pretrained.get("conv1.weight").floats();
        for (int i = 0; i < shipped.length; i++) assertEquals(shipped[i], (float) start[i], "conv1.weight[" + i + "]");

        TrainingEvent end = trainer.run();

        TrainingEvent.Finished finished = assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
        assertTrue(Double.isFinite(finished.testLoss()));
        assertEquals(trainer.transfer().stream().map(WeightTransfer.LayerResult::line).toList(),
                RunFolder.open(folder.resolve("runs/run-1")).readRecord().initFrom());
    }
}
