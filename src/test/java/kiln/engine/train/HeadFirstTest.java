package kiln.engine.train;

import kiln.engine.data.DataSplits;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.Progress;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-phase recipe on the transfer sample (its real pre-trained MNIST backbone): the head epochs leave every
 * loaded layer exactly as the trained model had it, the epochs after them train it at the rate × the factor, and
 * Continue across or inside the head epochs gives the run that one go would have given.
 */
class HeadFirstTest {

    static final List<String> BACKBONE = List.of("conv1", "conv2", "dense1", "dense2");

    @TempDir
    static Path dir;
    static Map<String, Tensor> pretrained;
    static TrainingSession.PreparedData data;

    @BeforeAll
    static void prepare() throws Exception {
        NativeSetup.prepare();
        Path sample = SampleCopies.copy("transfer-mnist-to-fashion", dir.resolve("sample"));
        Project p = ProjectIO.load(sample);
        pretrained = WeightTransfer.read(WeightTransfer.resolve(sample, "pretrained"));
        TrainingSession.PreparedData full = TrainingSession.prepareData(p, sample, 32, Progress.NONE);
        DataSplits s = full.splits();
        data = new TrainingSession.PreparedData(new DataSplits(s.train(), s.validation().head(64), s.test().head(64)),
                full.pipeline(), full.encoding());
    }

    /** A copy of the sample with these settings (one batch of 32 per epoch). */
    private static Path project(String name, TrainingSettings settings) throws Exception {
        Path folder = SampleCopies.copy("transfer-mnist-to-fashion", dir.resolve(name));
        Project p = ProjectIO.load(folder);
        p.setTraining(settings);
        ProjectIO.save(p, folder);
        return folder;
    }

    private static TrainingSettings sgd(int epochs, int headEpochs, double factor) {
        return new TrainingSettings("sgd", 0.5, 0, "constant", 1, 0.5, 32, epochs, 0, 0, 42, 1, headEpochs, factor);
    }

    private static Trainer start(Path folder, List<TrainingEvent> events) throws Exception {
        return TrainingSession.newRun(ProjectIO.load(folder), folder, data, 32, events::add);
    }

    private static float[] values(Trainer t, String name) {
        Param p = t.parameters().params().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
        double[] d = t.parameters().get(p);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void theHeadEpochsLeaveEveryLoadedLayerBitForBitAsTheTrainedModelHadIt() throws Exception {
        Path folder = project("head-only", sgd(2, 2, 0.1));
        List<TrainingEvent> events = new ArrayList<>();
        Trainer t = start(folder, events);

        assertInstanceOf(TrainingEvent.Finished.class, t.run());

        for (String layer : BACKBONE) {
            for (String w : List.of(".weight", ".bias")) {
                assertArrayEquals(pretrained.get(layer + w).floats(), values(t, layer + w), layer + w);
            }
        }
        Project p = ProjectIO.load(folder);
        NetworkSpec spec = NetworkCompiler.compile(p.graph(), ShapeInference.analyze(p.graph()));
        Parameters fresh = new Parameters(spec.params(), DataType.FLOAT);
        fresh.initialise(42);
        Param head = spec.params().stream().filter(q -> q.name().equals("fashion_output.weight")).findFirst().orElseThrow();
        assertFalse(java.util.Arrays.equals(fresh.get(head), t.parameters().get(head)), "the new head trained");
        TrainingEvent.PhaseChanged phase = events.stream().filter(e -> e instanceof TrainingEvent.PhaseChanged)
                .map(e -> (TrainingEvent.PhaseChanged) e).findFirst().orElseThrow();
        assertEquals(new TrainingEvent.PhaseChanged(1, true, "Head first (epochs 1–2): only fashion_output trains; "
                + "conv1, conv2, dense1, dense2 stay frozen."), phase);
        assertEquals(1, events.stream().filter(e -> e instanceof TrainingEvent.PhaseChanged).count(),
                "no fine-tuning phase when the head epochs cover the run");
    }

    @Test
    void afterTheHeadEpochsTheLoadedLayersTrainAtTheRateTimesTheFactor() throws Exception {
        // Plain SGD, one batch per epoch: epoch 2 is one step of -rate × factor × gradient from the same weights.
        List<TrainingEvent> events = new ArrayList<>();
        Trainer slow = start(project("factor-0.1", sgd(2, 1, 0.1)), events);
        Trainer fast = start(project("factor-0.2", sgd(2, 1, 0.2)), new ArrayList<>());
        assertInstanceOf(TrainingEvent.Finished.class, slow.run());
        assertInstanceOf(TrainingEvent.Finished.class, fast.run());

        for (String name : List.of("conv1.weight", "dense1.weight", "dense2.bias")) {
            float[] before = pretrained.get(name).floats();
            double slowMove = distance(before, values(slow, name));
            double fastMove = distance(before, values(fast, name));
            assertTrue(slowMove > 0, name + " trains after the head epoch");
            assertEquals(2.0, fastMove / slowMove, 2e-3, name + ": twice the factor, twice the step");
        }
        List<Double> rates = events.stream().filter(e -> e instanceof TrainingEvent.EpochFinished)
                .map(e -> ((TrainingEvent.EpochFinished) e).learningRate()).toList();
        assertEquals(List.of(0.5, 0.5 * 0.1), rates);
        assertTrue(events.contains(new TrainingEvent.PhaseChanged(2, false,
                "Fine-tuning from epoch 2: every trainable layer trains, at the learning rate × 0.1.")), events.toString());
    }

    @Test
    void continuingAcrossOrInsideTheHeadEpochsGivesTheRunOfOneGo() throws Exception {
        for (int headEpochs : new int[] {1, 2}) {
            TrainingSettings adam = new TrainingSettings("adam", 1e-3, 0.9, "constant", 1, 0.5, 32, 2, 0, 0, 42, 1,
                    headEpochs, 0.1);
            Path once = project("once-" + headEpochs, adam);
            Trainer whole = start(once, new ArrayList<>());
            assertInstanceOf(TrainingEvent.Finished.class, whole.run());

            Path twice = project("twice-" + headEpochs, adam.withEpochs(1));
            assertInstanceOf(TrainingEvent.Finished.class, start(twice, new ArrayList<>()).run());
            RunFolder run = RunFolder.open(twice.resolve("runs/run-1"));
            Trainer continued = TrainingSession.continueRun(ProjectIO.load(twice), run, data, 1, e -> { });
            assertInstanceOf(TrainingEvent.Finished.class, continued.run());

            for (Param p : whole.parameters().params()) {
                assertArrayEquals(whole.parameters().get(p), continued.parameters().get(p),
                        "head epochs " + headEpochs + ": " + p.name());
            }
            assertEquals(SafeTensors.read(once.resolve("runs/run-1/checkpoint.safetensors")).tensors().keySet(),
                    SafeTensors.read(run.checkpoint()).tensors().keySet(), "the same weights and optimizer state are saved");
        }
    }

    @Test
    void theRecipeWithoutATrainedModelToStartFromIsRefusedInPlainWords() throws Exception {
        Path folder = project("scratch", sgd(2, 1, 0.1));
        Project p = ProjectIO.load(folder);
        for (var n : p.graph().nodes()) p.graph().replace(n.withWeightsFrom(null));
        var e = assertThrows(TrainingSession.SetupException.class,
                () -> TrainingSession.newRun(p, folder, data, 32, ev -> { }));
        assertEquals("Head-first epochs is 1, but no layer starts from a trained model, so every layer is new and there "
                + "is no head to train first; start from a trained model (a layer's weightsFrom, or kiln train "
                + "--init-from) or set head-first epochs to 0.", e.getMessage());
        assertFalse(java.nio.file.Files.exists(folder.resolve("runs/run-1")), "no run is made");
    }

    @Test
    void badRecipeValuesAreRefusedWithTheAllowedRange() {
        TrainingSettings d = TrainingSettings.defaults();
        assertEquals(List.of(), d.withHeadFirst(3, 0.1).problems());
        assertEquals(List.of("Head-first epochs is -1; use 0 (off) to 10000."), d.withHeadFirst(-1, 0.1).problems());
        assertEquals(List.of("Fine-tune rate factor is 0.0; use a value above 0 and at most 1 (0.1 is usual)."),
                d.withHeadFirst(2, 0).problems());
        assertEquals(List.of("Fine-tune rate factor is 1.5; use a value above 0 and at most 1 (0.1 is usual)."),
                d.withHeadFirst(2, 1.5).problems());
        assertEquals(List.of("Fine-tune rate factor is NaN; use a value above 0 and at most 1 (0.1 is usual)."),
                d.withHeadFirst(2, Double.NaN).problems());
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
