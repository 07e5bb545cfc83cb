package kiln.engine.eval;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.nn.Network;
import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Following a sample: every layer's output equals a direct forward pass and a hand computation, for an MLP, a CNN
 * and a tabular network, before and after training; each epoch's weights are kept and can be loaded.
 */
class SampleTraceTest {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TrainedSample mlp = new TrainedSample("mnist-mlp", 1000, 2);
    @RegisterExtension
    static final TrainedSample cnn = new TrainedSample("mnist-cnn", 300);

    @Test
    void anMlpsLayersAreTheDirectForwardPassAndTheHandComputedDenseLayers() throws Exception {
        TrainedModel trained = TrainedModel.load(mlp.project(), mlp.folder(), null, TrainedModel.Weights.LAST, Progress.NONE);
        for (TrainedModel model : List.of(trained, trained.withInitialWeights())) {
            SampleTrace trace = new SampleTrace(model);
            for (int i = 0; i < 3; i++) {
                SampleTrace.Result r = trace.ofTestSample(i);
                float[] x = sample(model, i);
                assertSameAsDirectPass(model, x, r);
                assertArrayEquals(x, r.layer("flatten").orElseThrow().values(), "flatten keeps the pixels in order");
                float[] dense1 = dense(model.weightsOf("dense1"), x, true);
                assertArrayEquals(dense1, r.layer("dense1").orElseThrow().values(), 1e-4f, model.describe());
                float[] dense2 = dense(model.weightsOf("dense2"), dense1, true);
                assertArrayEquals(dense2, r.layer("dense2").orElseThrow().values(), 1e-4f, model.describe());
                float[] probabilities = softmax(dense(model.weightsOf("output"), dense2, false));
                assertArrayEquals(probabilities, r.layer("output").orElseThrow().values(), 1e-5f);
                assertArrayEquals(probabilities, r.prediction().probabilities(), 1e-5f);
            }
        }
    }

    @Test
    void aCnnsFeatureMapsAreTheDirectForwardPassAndAHandComputedConvolution() throws Exception {
        TrainedModel trained = TrainedModel.load(cnn.project(), cnn.folder(), null, TrainedModel.Weights.BEST, Progress.NONE);
        TrainedModel untrained = TrainedModel.untrained(cnn.project(), cnn.folder(), 300, Progress.NONE);
        float[] conv1Trained = null;
        for (TrainedModel model : List.of(trained, untrained)) {
            SampleTrace trace = new SampleTrace(model);
            SampleTrace.Result r = trace.ofTestSample(7);
            float[] x = sample(model, 7);
            assertSameAsDirectPass(model, x, r);
            SampleTrace.Layer conv1 = r.layer("conv1").orElseThrow();
            assertArrayEquals(new int[] {26, 26, 32}, conv1.shape().dims());
            float[] byHand = convolveRelu(model.weightsOf("conv1"), x, 28, 28);
            assertArrayEquals(byHand, conv1.values(), 1e-4f, model.describe());
            float[] pooled = maxPool(conv1.values(), 32, 26, 26);
            assertArrayEquals(pooled, r.layer("pool1").orElseThrow().values(), 1e-6f);
            assertEquals(LayerStatistics.of(conv1.values()), conv1.statistics());
            SampleTrace.Weight filters = trace.weight("conv1").orElseThrow();
            assertArrayEquals(new long[] {32, 1, 3, 3}, filters.shape());
            assertTrue(trace.weight("pool1").isEmpty(), "pooling has no weights");
            if (conv1Trained == null) conv1Trained = conv1.values();
            else assertFalse(Arrays.equals(conv1Trained, conv1.values()), "random weights give other feature maps");
        }
    }

    @Test
    void aTabularNetworkIsFollowedAsARowOfNumbers() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("tabular"));
        Project tabular = TrainedProjects.copySample("tabular-binary", folder);
        TrainedModel model = TrainedModel.untrained(tabular, folder, Progress.NONE);
        SampleTrace.Result r = new SampleTrace(model).ofTestSample(0);
        assertSameAsDirectPass(model, sample(model, 0), r);
        assertEquals(2, r.prediction().probabilities().length, "a yes/no unit reads as two classes");
        assertEquals(1f, r.prediction().probabilities()[0] + r.prediction().probabilities()[1], 1e-6f);
    }

    @Test
    void everyEpochsWeightsAreKeptAndCanBeFollowed() throws Exception {
        RunFolder run = TrainedModel.chooseRun(mlp.folder(), null);
        assertEquals(List.of(1, 2), run.savedEpochs());
        TrainedModel last = TrainedModel.load(mlp.project(), mlp.folder(), null, TrainedModel.Weights.LAST, Progress.NONE);
        TrainedModel second = TrainedModel.loadEpoch(mlp.project(), mlp.folder(), null, 2, Progress.NONE);
        TrainedModel first = TrainedModel.loadEpoch(mlp.project(), mlp.folder(), run.id(), 1, Progress.NONE);
        assertArrayEquals(last.weightsOf("dense1").values("weight"), second.weightsOf("dense1").values("weight"),
                "the last epoch's file holds the checkpoint's weights");
        assertFalse(Arrays.equals(first.weightsOf("dense1").values("weight"), second.weightsOf("dense1").values("weight")));
        assertEquals(run.id() + ", epoch 1", first.describe());

        // Scrubbing reuses the data: the same weights as loading the epoch on its own, and the same trace.
        TrainedModel scrubbed = last.withWeights(run.id(), TrainedModel.Weights.LAST, 1);
        assertArrayEquals(first.weightsOf("dense2").values("weight"), scrubbed.weightsOf("dense2").values("weight"));
        assertArrayEquals(new SampleTrace(first).ofTestSample(3).layer("dense2").orElseThrow().values(),
                new SampleTrace(scrubbed).ofTestSample(3).layer("dense2").orElseThrow().values());
        assertFalse(Arrays.equals(new SampleTrace(first).ofTestSample(3).layer("dense2").orElseThrow().values(),
                new SampleTrace(second).ofTestSample(3).layer("dense2").orElseThrow().values()));

        var missing = assertThrows(TrainedModel.UnavailableException.class, () -> last.withWeights(run.id(), TrainedModel.Weights.LAST, 3));
        assertTrue(missing.getMessage().contains("kept no weights of epoch 3; it kept epochs 1 to 2"), missing.getMessage());
    }

    @Test
    void aRunFromBeforeEpochsWereKeptStillOffersBestAndLast() throws Exception {
        Path folder = dir.resolve("old");
        Project old = TrainedProjects.trainedSample("mnist-mlp", folder, 300);
        RunFolder run = TrainedModel.chooseRun(folder, null);
        try (Stream<Path> files = Files.walk(run.dir().resolve("epochs"))) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
        assertEquals(List.of(), run.savedEpochs());
        TrainedModel best = TrainedModel.load(old, folder, null, TrainedModel.Weights.BEST, Progress.NONE);
        assertEquals(10, new SampleTrace(best).ofTestSample(0).prediction().probabilities().length);
        var refused = assertThrows(TrainedModel.UnavailableException.class,
                () -> TrainedModel.loadEpoch(old, folder, null, 1, Progress.NONE));
        assertTrue(refused.getMessage().contains("have only their best and last"), refused.getMessage());
    }

    /** Each layer as a fresh network on the same weights computes it, in the explaining plan, and the prediction. */
    private static void assertSameAsDirectPass(TrainedModel model, float[] x, SampleTrace.Result r) {
        Network direct = new Network(model.spec(), model.network().parameters());
        float[] seed = new float[model.data().encoding().units()];
        Map<String, float[]> outputs = direct.explain(x, 1, seed).outputs();
        assertEquals(model.analysis().order(), r.layers().stream().map(SampleTrace.Layer::name).toList(), "every layer, in order");
        for (SampleTrace.Layer l : r.layers()) {
            // a few float roundings apart: the convolution's sums are split over threads as the machine's load allows
            assertArrayEquals(outputs.get(l.name()), l.values(), 1e-5f, l.name());
            assertEquals(l.shape().elementCount(), l.values().length, l.name());
        }
        float[] predicted = model.data().encoding().classScores(direct.predict(x, 1), 1);
        assertArrayEquals(predicted, r.prediction().probabilities(), 1e-6f);
        direct.close();
    }

    private static float[] sample(TrainedModel model, int i) {
        int per = model.test().sampleLength();
        return Arrays.copyOfRange(model.test().features(), i * per, (i + 1) * per);
    }

    /** W·x + b with W stored out × in, as PyTorch's Linear. */
    private static float[] dense(LayerWeights w, float[] x, boolean relu) {
        float[] weight = w.values("weight");
        float[] bias = w.values("bias");
        float[] y = new float[bias.length];
        for (int o = 0; o < y.length; o++) {
            double s = bias[o];
            for (int i = 0; i < x.length; i++) s += (double) weight[o * x.length + i] * x[i];
            y[o] = (float) (relu ? Math.max(0, s) : s);
        }
        return y;
    }

    private static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        for (float v : z) sum += Math.exp(v - max);
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) p[i] = (float) (Math.exp(z[i] - max) / sum);
        return p;
    }

    /** A valid 3×3 convolution of a one-channel image (filters out × 1 × 3 × 3), then ReLU; channels first. */
    private static float[] convolveRelu(LayerWeights w, float[] x, int h, int width) {
        float[] weight = w.values("weight");
        float[] bias = w.values("bias");
        int oh = h - 2;
        int ow = width - 2;
        float[] y = new float[bias.length * oh * ow];
        for (int f = 0; f < bias.length; f++) {
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    double s = bias[f];
                    for (int kr = 0; kr < 3; kr++) {
                        for (int kc = 0; kc < 3; kc++) s += (double) weight[f * 9 + kr * 3 + kc] * x[(r + kr) * width + c + kc];
                    }
                    y[(f * oh + r) * ow + c] = (float) Math.max(0, s);
                }
            }
        }
        return y;
    }

    private static float[] maxPool(float[] x, int channels, int h, int w) {
        int oh = h / 2;
        int ow = w / 2;
        float[] y = new float[channels * oh * ow];
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int dr = 0; dr < 2; dr++) for (int dc = 0; dc < 2; dc++) m = Math.max(m, x[(ch * h + 2 * r + dr) * w + 2 * c + dc]);
                    y[(ch * oh + r) * ow + c] = m;
                }
            }
        }
        return y;
    }
}
