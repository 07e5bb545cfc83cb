package kiln.engine.train;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.catalog.LowRankAdapters;
import kiln.engine.catalog.Params;
import kiln.engine.eval.TrainedModel;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.LayerTraining;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.project.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frozen layers, per-layer learning rates and LoRA adapters, through the path training takes: project graph,
 * NetworkCompiler, a training plan and the optimizer the session makes.
 */
class FineTuningTest {

    private static final int BATCH = 6;
    private static final LayerTraining FROZEN = new LayerTraining(false, 1, false);

    @BeforeAll
    static void prepare() {
        NativeSetup.prepare();
    }

    /** Convolution, BatchNorm, a second convolution, a Dense layer and the output. */
    private static ModelGraph cnn() {
        return Graphs.start().then("data", "input", Map.of("height", 6, "width", 6, "channels", 2))
                .then("conv1", "conv2d", Map.of("filters", 3, "padding", "same", "activation", "linear"))
                .then("bn1", "batch_norm", Map.of()).then("act1", "activation", Map.of("function", "relu"))
                .then("conv2", "conv2d", Map.of("filters", 4, "padding", "same"))
                .then("flat", "flatten", Map.of()).then("dense1", "dense", Map.of("units", 8))
                .then("out", "output", Map.of("units", 3)).build();
    }

    private static ModelGraph mlp(Map<String, Object> denseParams) {
        return Graphs.start().then("data", "input", Map.of("kind", "vector", "size", 7))
                .then("dense1", "dense", denseParams).then("out", "output", Map.of("units", 3)).build();
    }

    private static void set(ModelGraph g, String layer, LayerTraining training) {
        g.replace(g.node(layer).withTraining(training));
    }

    private static NetworkSpec compile(ModelGraph g) {
        GraphAnalysis a = ShapeInference.analyze(g);
        assertTrue(a.isValid(), a.problems().toString());
        return NetworkCompiler.compile(g, a);
    }

    private static TrainingSettings settings(String optimizer, double lr) {
        return new TrainingSettings(optimizer, lr, 0, "constant", 1, 0.5, BATCH, 1, 0, 0, 42, 0);
    }

    /** Parameters for the spec, initialised from {@code seed}. */
    private static Parameters initialised(NetworkSpec spec, long seed) {
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(seed);
        return params;
    }

    /** Every parameter's values after {@link #train} with the optimizer a session picks for these settings. */
    private static Map<String, double[]> trainedSnapshot(NetworkSpec spec, Parameters params, String optimizer, double lr, int steps) {
        TrainingSettings s = settings(optimizer, lr);
        train(spec, params, TrainingSession.optimizerFor(s, spec, params), steps, s.learningRate());
        return snapshot(spec, params);
    }

    /** Every parameter's values by name. */
    private static Map<String, double[]> snapshot(NetworkSpec spec, Parameters params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Param p : spec.params()) out.put(p.name(), params.get(p));
        return out;
    }

    /** {@code steps} optimizer steps on random batches with random class targets. */
    private static void train(NetworkSpec spec, Parameters params, Optimizer optimizer, int steps, double lr) {
        Random r = new Random(7);
        int units = spec.outputUnits();
        try (Plan plan = new Plan(spec, params, BATCH, Plan.Mode.TRAIN, 3)) {
            for (int s = 0; s < steps; s++) {
                float[] x = new float[(int) plan.input().length()];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                float[] t = new float[BATCH * units];
                for (int n = 0; n < BATCH; n++) t[n * units + r.nextInt(units)] = 1;
                plan.setInput(x);
                plan.setTarget(t);
                plan.forward();
                plan.backward();
                optimizer.step(lr);
            }
        }
    }

    @Test
    void frozenLayersAreBitForBitUnchangedAfterTrainingAndTheirBatchNormKeepsItsStatistics() {
        ModelGraph g = cnn();
        set(g, "conv1", FROZEN);
        set(g, "bn1", FROZEN);
        NetworkSpec spec = compile(g);
        Parameters params = initialised(spec, 11);
        Map<String, double[]> before = snapshot(spec, params);
        Map<String, double[]> after = trainedSnapshot(spec, params, "adam", 0.01, 5);
        for (String frozen : List.of("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var")) {
            assertArrayEquals(before.get(frozen), after.get(frozen), frozen + " must not change");
        }
        for (String trained : List.of("conv2.weight", "dense1.weight", "out.weight", "out.bias")) {
            assertFalse(java.util.Arrays.equals(before.get(trained), after.get(trained)), trained + " should train");
        }
        // No gradient or optimizer state is kept for what does not learn.
        Set<String> learned = spec.params().stream().filter(Param::learned).map(Param::name).collect(Collectors.toSet());
        assertEquals(Set.of("conv2.weight", "conv2.bias", "dense1.weight", "dense1.bias", "out.weight", "out.bias"), learned);
    }

    @Test
    void aFrozenBatchNormUpdatesItsStatisticsOnlyWhenTheLayerSaysSo() {
        ModelGraph g = cnn();
        set(g, "conv1", FROZEN);
        set(g, "bn1", new LayerTraining(false, 1, true));
        NetworkSpec spec = compile(g);
        Parameters params = initialised(spec, 11);
        Map<String, double[]> before = snapshot(spec, params);
        Map<String, double[]> after = trainedSnapshot(spec, params, "sgd", 0.05, 2);
        assertArrayEquals(before.get("bn1.weight"), after.get("bn1.weight"));
        assertArrayEquals(before.get("bn1.bias"), after.get("bn1.bias"));
        assertFalse(java.util.Arrays.equals(before.get("bn1.running_mean"), after.get("bn1.running_mean")),
                "batch statistics move the running mean");
    }

    @Test
    void aLayersLearningRateMultiplierScalesItsSgdUpdate() {
        ModelGraph g = mlp(Map.of("units", 5, "activation", "tanh"));
        set(g, "dense1", new LayerTraining(true, 0.1, false));
        NetworkSpec spec = compile(g);
        Parameters params = initialised(spec, 4);
        Map<String, double[]> before = snapshot(spec, params);
        double lr = 0.5;
        Optimizer sgd = TrainingSession.optimizerFor(settings("sgd", lr), spec, params);
        train(spec, params, sgd, 1, lr);
        for (Param p : spec.params()) {
            double[] gradient = params.gradient(p).dup('c').data().asDouble();
            double multiplier = p.name().startsWith("dense1.") ? 0.1 : 1;
            double[] w0 = before.get(p.name());
            double[] w1 = params.get(p);
            for (int i = 0; i < w0.length; i++) {
                double expected = -lr * multiplier * gradient[i];
                assertEquals(expected, w1[i] - w0[i], 1e-6 + 1e-4 * Math.abs(expected), p.name() + "[" + i + "]");
            }
            assertTrue(java.util.Arrays.stream(gradient).anyMatch(v -> v != 0), p.name() + " has a gradient");
        }
    }

    @Test
    void aMultiplierScalesAdamsStepToo() {
        ModelGraph slow = mlp(Map.of("units", 5));
        set(slow, "dense1", new LayerTraining(true, 0.25, false));
        ModelGraph normal = mlp(Map.of("units", 5));
        double[][] moves = new double[2][];
        int k = 0;
        for (ModelGraph g : List.of(slow, normal)) {
            NetworkSpec spec = compile(g);
            Parameters params = initialised(spec, 4);
            Param w = spec.params().stream().filter(p -> p.name().equals("dense1.weight")).findFirst().orElseThrow();
            double[] w0 = params.get(w);
            train(spec, params, TrainingSession.optimizerFor(settings("adam", 0.01), spec, params), 1, 0.01);
            double[] w1 = params.get(w);
            moves[k] = new double[w0.length];
            for (int i = 0; i < w0.length; i++) moves[k][i] = w1[i] - w0[i];
            k++;
        }
        for (int i = 0; i < moves[0].length; i++) assertEquals(0.25 * moves[1][i], moves[0][i], 1e-7, "dense1.weight[" + i + "]");
    }

    @Test
    void theSummaryCountsFrozenAndAdapterParameters() {
        ModelGraph g = cnn();
        set(g, "conv1", FROZEN);
        ModelSummary s = ModelSummary.of(g);
        long conv1 = 3 * 2 * 9 + 3;
        long bnStatistics = 2 * 3;
        assertEquals(conv1 + bnStatistics, s.nonTrainableParams());
        assertEquals(s.totalParams() - conv1 - bnStatistics, s.trainableParams());
        assertTrue(s.toText().contains("new, frozen"), s.toText());

        ModelGraph lora = mlp(Map.of("units", 5, "loraRank", 2));
        ModelSummary l = ModelSummary.of(lora);
        long base = 7 * 5 + 5;
        long adapters = 2 * (7 + 5);
        long head = 5 * 3 + 3;
        assertEquals(base + adapters + head, l.totalParams());
        assertEquals(adapters + head, l.trainableParams());
        assertEquals(base, l.nonTrainableParams());
    }

    @Test
    void aLoraRankLargerThanTheLayerIsRefusedNamingTheLayer() {
        ModelGraph g = mlp(Map.of("units", 5, "loraRank", 6));
        GraphAnalysis a = ShapeInference.analyze(g);
        assertFalse(a.isValid());
        String problem = a.firstProblem().orElseThrow();
        assertTrue(problem.startsWith("dense1 (Dense)") && problem.contains("LoRA rank 6 is larger than the layer")
                && problem.contains("at most 5"), problem);
    }

    /** A LoRA Dense with B made non-zero, as after some training; activation linear so the output is the sum. */
    private static Network loraNetwork(double alpha) {
        ModelGraph g = mlp(Map.of("units", 5, "activation", "linear", "loraRank", 2, "loraAlpha", alpha));
        NetworkSpec spec = compile(g);
        Parameters params = initialised(spec, 9);
        Param b = spec.params().stream().filter(p -> p.name().equals("dense1.lora_B")).findFirst().orElseThrow();
        double[] values = new double[(int) b.size()];
        Random r = new Random(5);
        for (int i = 0; i < values.length; i++) values[i] = r.nextGaussian();
        params.set(b, values);
        return new Network(spec, params);
    }

    private static float[] samples(int n) {
        Random r = new Random(2);
        float[] x = new float[n * 7];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void loraForwardIsTheBaseLayerPlusScaledBTimesA() {
        double alpha = 3;
        try (Network net = loraNetwork(alpha)) {
            LayerWeights w = TrainedModel.weightsOf(net, "dense1");
            float[] weight = w.values("weight");
            float[] bias = w.values("bias");
            float[] a = w.values("lora_A");
            float[] b = w.values("lora_B");
            int n = 4;
            float[] x = samples(n);
            float[] y = net.layerOutputs(x, n).get("dense1");
            double scale = alpha / 2;
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < 5; o++) {
                    double expected = bias[o];
                    for (int i = 0; i < 7; i++) {
                        double ba = 0;
                        for (int r = 0; r < 2; r++) ba += b[o * 2 + r] * a[r * 7 + i];
                        expected += x[s * 7 + i] * (weight[o * 7 + i] + scale * ba);
                    }
                    assertEquals(expected, y[s * 5 + o], 1e-4, "sample " + s + ", unit " + o);
                }
            }
        }
    }

    @Test
    void loraTrainsOnlyItsAdaptersAndTheHeadAndLeavesTheBaseWeightsAsTheyWere() {
        ModelGraph g = mlp(Map.of("units", 5, "loraRank", 2));
        NetworkSpec spec = compile(g);
        Set<String> learned = spec.params().stream().filter(Param::learned).map(Param::name).collect(Collectors.toSet());
        assertEquals(Set.of("dense1.lora_A", "dense1.lora_B", "out.weight", "out.bias"), learned);
        Parameters params = initialised(spec, 9);
        Map<String, double[]> before = snapshot(spec, params);
        assertTrue(java.util.Arrays.stream(before.get("dense1.lora_B")).allMatch(v -> v == 0), "B starts at zero");
        train(spec, params, TrainingSession.optimizerFor(settings("adam", 0.01), spec, params), 4, 0.01);
        Map<String, double[]> after = snapshot(spec, params);
        assertArrayEquals(before.get("dense1.weight"), after.get("dense1.weight"));
        assertArrayEquals(before.get("dense1.bias"), after.get("dense1.bias"));
        assertFalse(java.util.Arrays.equals(before.get("dense1.lora_A"), after.get("dense1.lora_A")));
        assertFalse(java.util.Arrays.equals(before.get("dense1.lora_B"), after.get("dense1.lora_B")));
    }

    @Test
    void mergedWeightsComputeWhatTheLayerWithAdaptersComputes() throws Exception {
        try (Network lora = loraNetwork(5)) {
            ModelGraph plain = mlp(Map.of("units", 5, "activation", "linear"));
            NetworkSpec spec = compile(plain);
            Parameters params = new Parameters(spec.params(), DataType.FLOAT);
            Params loraParams = Params.of(kiln.engine.catalog.LayerCatalog.get("dense"),
                    Map.of("units", 5, "activation", "linear", "loraRank", 2, "loraAlpha", 5.0));
            LayerWeights w = TrainedModel.weightsOf(lora, "dense1");
            float[] merged = LowRankAdapters.mergedWeight(w, 7, loraParams);
            for (Param p : spec.params()) {
                String layer = p.name().substring(0, p.name().indexOf('.'));
                String key = p.name().substring(layer.length() + 1);
                float[] v = p.name().equals("dense1.weight") ? merged
                        : TrainedModel.weightsOf(lora, layer).values(key);
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = v[i];
                params.set(p, d);
            }
            try (Network net = new Network(spec, params)) {
                float[] x = samples(5);
                float[] expected = lora.predict(x, 5);
                float[] actual = net.predict(x, 5);
                for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5, "prediction " + i);
            }
        }
    }
}
