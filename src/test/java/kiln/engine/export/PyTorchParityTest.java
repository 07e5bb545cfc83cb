package kiln.engine.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.catalog.EngineShapes;
import kiln.engine.eval.TrainedModel;
import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.NetworkCompiler;
import kiln.engine.util.Progress;
import kiln.engine.weights.DType;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kiln's engine against PyTorch autograd for every layer type: with the same float32 weights and batch, the
 * prediction (inference mode), the input's gradient when explaining, and in training mode the loss, every
 * parameter's gradient, the input's gradient and BatchNorm's updated running statistics. Then 20 optimizer
 * steps on one batch give the same losses (and, for SGD, the same final weights, which is what shows that L2
 * shrinks the weights only). PyTorch runs the export's own model code (PyTorchExporter.moduleCode);
 * networks the export refuses (LSTM, Embedding) run as hand-written equivalents in parity.py. One Python
 * process does every case; it needs the Python of {@link PyTorchExportTest} and is skipped the same way.
 */
class PyTorchParityTest {

    /** A tensor agrees when max|kiln − torch| ≤ TOLERANCE · max|torch|: relative to the tensor's largest value. */
    private static final double TOLERANCE = 1e-4;
    /** Each step's loss agrees when |kiln − torch| ≤ LOSS_TOLERANCE · |torch|. */
    private static final double LOSS_TOLERANCE = 1e-3;
    private static final int BATCH = 5;
    private static final int STEPS = 20;
    private static final Map<String, Object> NONE = Map.of();
    private static final Map<String, Object> VECTOR = Map.of("kind", "vector", "size", 6);
    private static final Map<String, Object> IMAGE = Map.of("height", 7, "width", 6, "channels", 2);
    private static final Map<String, Object> SEQUENCE = Map.of("kind", "sequence", "length", 5, "features", 3);
    private static final Map<String, Object> TOKENS = Map.of("kind", "sequence", "length", 6, "features", 1);

    /** A network around the layer type under test; compared in training mode unless {@code train} is false. */
    record LayerCase(String name, String type, ModelGraph graph, boolean train) { }

    record OptimizerCase(String name, ModelGraph graph, Optimizer.Kind kind, double lr, double momentum, double l2) { }

    @TempDir
    static Path dir;

    private static final Map<String, Map<String, double[]>> KILN = new LinkedHashMap<>();
    /** Cases whose network the export refuses, so that parity.py writes it by hand. */
    private static final Set<String> HAND_WRITTEN = new HashSet<>();

    static List<LayerCase> layerCases() {
        List<LayerCase> cases = new ArrayList<>();
        for (String loss : List.of("softmax_cross_entropy", "sigmoid_binary_cross_entropy", "linear_mse", "linear_mae")) {
            cases.add(new LayerCase("output_" + loss, "output", Graphs.start().then("data", "input", VECTOR)
                    .then("out", "output", Map.of("units", 3, "loss", loss)).build(), true));
        }
        for (String f : List.of("relu", "leaky_relu", "sigmoid", "tanh", "softmax", "linear")) {
            cases.add(new LayerCase("dense_" + f, "dense", Graphs.start().then("data", "input", VECTOR)
                    .then("layer", "dense", Map.of("units", 5, "activation", f)).then("out", "output", Map.of("units", 3)).build(), true));
        }
        cases.add(new LayerCase("flatten", "flatten", imageTo("layer", "flatten", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        for (String padding : List.of("valid", "same")) {
            for (int stride : List.of(1, 2)) {
                cases.add(imageCase("conv2d_" + padding + "_stride" + stride, "conv2d",
                        Map.of("filters", 3, "kernel", 3, "stride", stride, "padding", padding, "activation", "tanh")));
            }
            // 3×3 windows with stride 2 on 7×6: 'same' pads one row above and below but one column only on the right.
            cases.add(imageCase("maxpool2d_" + padding, "maxpool2d", Map.of("pool", 3, "stride", 2, "padding", padding)));
            cases.add(imageCase("avgpool2d_" + padding, "avgpool2d", Map.of("pool", 3, "stride", 2, "padding", padding)));
        }
        cases.add(new LayerCase("global_avg_pool_image", "global_avg_pool", imageTo("layer", "global_avg_pool", NONE)
                .then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("global_avg_pool_sequence", "global_avg_pool", Graphs.start().then("data", "input", SEQUENCE)
                .then("layer", "global_avg_pool", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(imageCase("batch_norm_image", "batch_norm", Map.of("momentum", 0.8, "epsilon", 1e-3)));
        cases.add(new LayerCase("batch_norm_vector", "batch_norm", Graphs.start().then("data", "input", VECTOR)
                .then("layer", "batch_norm", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        // Dropout draws its own masks, so it is compared in inference mode only (prediction and explaining);
        // the MLP runs below train through a Dropout of rate 0.
        cases.add(new LayerCase("dropout_inference", "dropout", Graphs.start().then("data", "input", VECTOR)
                .then("dense", "dense", Map.of("units", 5)).then("layer", "dropout", Map.of("rate", 0.5))
                .then("out", "output", Map.of("units", 3)).build(), false));
        for (String f : List.of("relu", "leaky_relu", "sigmoid", "tanh")) {
            cases.add(imageCase("activation_" + f, "activation", Map.of("function", f, "alpha", 0.2)));
        }
        cases.add(new LayerCase("activation_softmax", "activation", Graphs.start().then("data", "input", VECTOR)
                .then("layer", "activation", Map.of("function", "softmax")).then("out", "output", Map.of("units", 3)).build(), true));
        // The input feeds both convolutions and the sum: its gradient adds three parts.
        cases.add(new LayerCase("add", "add", imageTo("a", "conv2d", Map.of("filters", 2, "padding", "same", "activation", "tanh"))
                .from("data").then("b", "conv2d", Map.of("filters", 2, "kernel", 1, "activation", "linear"))
                .then("layer", "add", NONE).connect("a", "layer", 1).connect("data", "layer", 2)
                .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("concat_image", "concat", imageTo("a", "conv2d", Map.of("filters", 3, "padding", "same"))
                .then("layer", "concat", NONE).connect("data", "layer", 1)
                .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("concat_vector", "concat", Graphs.start().then("data", "input", VECTOR)
                .then("a", "dense", Map.of("units", 4, "activation", "sigmoid"))
                .then("layer", "concat", NONE).connect("data", "layer", 1).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("concat_sequence", "concat", Graphs.start().then("data", "input", SEQUENCE)
                .then("a", "activation", Map.of("function", "tanh"))
                .then("layer", "concat", NONE).connect("data", "layer", 1)
                .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("embedding", "embedding", Graphs.start().then("data", "input", TOKENS)
                .then("layer", "embedding", Map.of("vocabulary", 11, "dimensions", 4))
                .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("lstm_last_step", "lstm", Graphs.start().then("data", "input", SEQUENCE)
                .then("layer", "lstm", Map.of("units", 4)).then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("lstm_sequences", "lstm", Graphs.start().then("data", "input", SEQUENCE)
                .then("layer", "lstm", Map.of("units", 4, "returnSequences", true)).then("flat", "flatten", NONE)
                .then("out", "output", Map.of("units", 3, "loss", "sigmoid_binary_cross_entropy")).build(), true));
        cases.add(new LayerCase("dense_lora", "dense", Graphs.start().then("data", "input", VECTOR)
                .then("layer", "dense", Map.of("units", 5, "activation", "tanh", "loraRank", 2, "loraAlpha", 3.0))
                .then("out", "output", Map.of("units", 3)).build(), true));
        cases.add(new LayerCase("embedding_lstm", "lstm", Graphs.start().then("data", "input", TOKENS)
                .then("emb", "embedding", Map.of("vocabulary", 11, "dimensions", 4))
                .then("layer", "lstm", Map.of("units", 4)).then("out", "output", Map.of("units", 3)).build(), true));
        return cases;
    }

    private static Graphs imageTo(String name, String type, Map<String, Object> params) {
        return Graphs.start().then("data", "input", IMAGE).then(name, type, params);
    }

    private static LayerCase imageCase(String name, String type, Map<String, Object> params) {
        return new LayerCase(name, type, imageTo("layer", type, params).then("flat", "flatten", NONE)
                .then("out", "output", Map.of("units", 3)).build(), true);
    }

    static List<OptimizerCase> optimizerCases() {
        return List.of(
                new OptimizerCase("cnn_adam", cnn(), Optimizer.Kind.ADAM, 1e-3, 0, 0),
                new OptimizerCase("mlp_adam", mlp(), Optimizer.Kind.ADAM, 1e-3, 0, 0),
                new OptimizerCase("mlp_nesterov", mlp(), Optimizer.Kind.NESTEROV, 0.05, 0.9, 0),
                new OptimizerCase("mlp_rmsprop", mlp(), Optimizer.Kind.RMSPROP, 1e-3, 0, 0),
                new OptimizerCase("cnn_nesterov_l2", cnn(), Optimizer.Kind.NESTEROV, 0.02, 0.9, 0.1),
                new OptimizerCase("mlp_frozen_and_rates_nesterov", fineTuned(mlp(), false), Optimizer.Kind.NESTEROV, 0.05, 0.9, 0.01),
                new OptimizerCase("cnn_frozen_and_rates_adam", fineTunedCnn(), Optimizer.Kind.ADAM, 1e-3, 0, 0),
                new OptimizerCase("mlp_lora_and_rates_sgd", fineTuned(mlp(), true), Optimizer.Kind.SGD, 0.1, 0, 0));
    }

    /** dense1 frozen (or, with adapters, dense2 through LoRA of rank 3) and the head at a tenth of the rate. */
    private static ModelGraph fineTuned(ModelGraph g, boolean lora) {
        if (lora) {
            var dense = kiln.engine.catalog.LayerCatalog.get("dense");
            try {
                g.replace(g.node("dense2").withParams(g.node("dense2").params().with(dense, "loraRank", 3).with(dense, "loraAlpha", 6.0)));
            } catch (kiln.engine.params.ParamSpec.InvalidParamException e) {
                throw new IllegalArgumentException(e);
            }
        } else {
            g.replace(g.node("dense1").withTraining(new kiln.engine.nn.LayerTraining(false, 1, false)));
        }
        g.replace(g.node("out").withTraining(new kiln.engine.nn.LayerTraining(true, 0.1, false)));
        return g;
    }

    /** conv1 and bn1 frozen (bn1 in inference mode), conv2 at twice the rate. */
    private static ModelGraph fineTunedCnn() {
        ModelGraph g = cnn();
        g.replace(g.node("conv1").withTraining(new kiln.engine.nn.LayerTraining(false, 1, false)));
        g.replace(g.node("bn1").withTraining(new kiln.engine.nn.LayerTraining(false, 1, false)));
        g.replace(g.node("conv2").withTraining(new kiln.engine.nn.LayerTraining(true, 2, false)));
        return g;
    }

    /**
     * Whether the final weights are comparable too. Adam and RMSprop divide each gradient by its own size, so a
     * gradient that is zero but for rounding (the bias of a convolution before BatchNorm) moves its weight a
     * whole step in a direction rounding chooses; SGD's steps are proportional to the gradient.
     */
    private static boolean comparesWeights(Optimizer.Kind kind) {
        return kind == Optimizer.Kind.SGD || kind == Optimizer.Kind.NESTEROV;
    }

    /** Convolution, BatchNorm and a residual sum around a convolution. */
    private static ModelGraph cnn() {
        return Graphs.start().then("data", "input", Map.of("height", 6, "width", 6, "channels", 3))
                .then("conv1", "conv2d", Map.of("filters", 4, "padding", "same", "activation", "linear"))
                .then("bn1", "batch_norm", NONE).then("act1", "activation", Map.of("function", "relu"))
                .then("conv2", "conv2d", Map.of("filters", 4, "padding", "same"))
                .then("add1", "add", NONE).connect("act1", "add1", 1)
                .then("pool1", "maxpool2d", NONE).then("flat", "flatten", NONE)
                .then("out", "output", Map.of("units", 3)).build();
    }

    private static ModelGraph mlp() {
        return Graphs.start().then("data", "input", Map.of("kind", "vector", "size", 8))
                .then("dense1", "dense", Map.of("units", 16)).then("drop", "dropout", Map.of("rate", 0.0))
                .then("dense2", "dense", Map.of("units", 8, "activation", "tanh"))
                .then("out", "output", Map.of("units", 3)).build();
    }

    @BeforeAll
    static void runBothEngines() throws Exception {
        String python = PyTorchExportTest.torchPython().orElse(null);
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        Path cases = Files.createDirectories(dir.resolve("cases"));
        long seed = 1;
        for (LayerCase c : layerCases()) KILN.put(c.name(), layerCase(c, cases.resolve(c.name()), seed++));
        for (OptimizerCase c : optimizerCases()) KILN.put(c.name(), optimizerCase(c, cases.resolve(c.name()), seed++));

        Path script = dir.resolve("parity.py");
        try (InputStream in = PyTorchParityTest.class.getResourceAsStream("parity.py")) {
            Files.copy(in, script);
        }
        Process proc = new ProcessBuilder(python, script.toString(), cases.toString()).redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "parity.py did not finish");
        assertEquals(0, proc.exitValue(), printed);
    }

    /** Kiln's results for one network, after writing its weights and batch for PyTorch. */
    private static Map<String, double[]> layerCase(LayerCase c, Path folder, long seed) throws Exception {
        Setup s = setup(c.graph(), new Random(seed));
        Map<String, Object> json = new LinkedHashMap<>(s.write(c.name(), folder));
        json.put("train", c.train());
        writeJson(folder, json);

        Map<String, double[]> kiln = new LinkedHashMap<>();
        try (Network net = new Network(s.spec, s.params)) {
            kiln.put("prediction", toDoubles(net.predict(s.input, BATCH)));
            kiln.put("explain.input", toDoubles(net.inputGradient(s.input, BATCH, s.logitSeed)));
        }
        if (!c.train()) return kiln;
        try (Plan plan = new Plan(s.spec, s.params, BATCH, Plan.Mode.TRAIN, seed, true)) {
            plan.setInput(s.input);
            plan.setTarget(s.target);
            plan.forward();
            plan.backward();
            kiln.put("train.loss", new double[] {plan.loss()});
            kiln.put("train.input", values(plan.gradient(s.spec.input())));
        }
        for (Param p : s.spec.params()) {
            kiln.put((p.learned() ? "grad." : "state.") + p.name(), p.learned() ? values(s.params.gradient(p)) : s.params.get(p));
        }
        return kiln;
    }

    private static Map<String, double[]> optimizerCase(OptimizerCase c, Path folder, long seed) throws Exception {
        Setup s = setup(c.graph(), new Random(seed));
        Map<String, Object> json = new LinkedHashMap<>(s.write(c.name(), folder));
        json.put("optimizer", Map.of("kind", c.kind().name(), "lr", c.lr(), "momentum", c.momentum(), "l2", c.l2(), "steps", STEPS));
        json.put("rates", s.spec.rateMultipliers());
        writeJson(folder, json);

        Optimizer optimizer = new Optimizer(s.params, c.kind(), c.momentum(), c.l2(), s.spec::rateMultiplier);
        double[] losses = new double[STEPS];
        try (Plan plan = new Plan(s.spec, s.params, BATCH, Plan.Mode.TRAIN, seed)) {
            plan.setInput(s.input);
            plan.setTarget(s.target);
            for (int step = 0; step < STEPS; step++) {
                plan.forward();
                losses[step] = plan.loss();
                plan.backward();
                optimizer.step(c.lr());
            }
        }
        Map<String, double[]> kiln = new LinkedHashMap<>();
        kiln.put("losses", losses);
        if (comparesWeights(c.kind())) for (Param p : s.spec.params()) kiln.put("final." + p.name(), s.params.get(p));
        return kiln;
    }

    /** A compiled network with random parameters and a random batch. */
    private record Setup(ModelGraph graph, GraphAnalysis analysis, NetworkSpec spec, Parameters params,
                         float[] input, float[] target, float[] logitSeed) {

        /** Writes the weights and batch; returns what case.json says about the network. */
        Map<String, Object> write(String name, Path folder) throws Exception {
            Files.createDirectories(folder);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("output", PyTorchExporter.identifier(graph.outputNode().orElseThrow().name(), new HashSet<>()));
            json.put("loss", spec.lossKind().name());
            // Weights of frozen layers, which PyTorch must not train either (running statistics are buffers there).
            json.put("frozen", spec.params().stream().filter(p -> !p.learned() && !p.name().contains(".running_")
                    && !graph.node(layerOf(p)).trainable()).map(Param::name).toList());
            // A frozen BatchNorm keeps its running statistics: in PyTorch, that layer is in eval mode.
            json.put("inference", graph.nodes().stream().filter(n -> !n.trainable() && n.type().id().equals("batch_norm")
                    && !n.training().updateStatistics()).map(Node::name).toList());
            Map<String, Tensor> weights = new LinkedHashMap<>();
            try (Network net = new Network(spec, params)) {
                if (hasAdapters(graph)) throw new ExportException("the export merges LoRA adapters; their gradients need the hand-written layer");
                json.put("code", PyTorchExporter.moduleCode(graph, analysis, layer -> TrainedModel.weightsOf(net, layer),
                        "Exported", weights, Progress.NONE));
                json.put("class", "Exported");
            } catch (ExportException refused) {
                HAND_WRITTEN.add(name);
                weights.clear();
                for (Param p : spec.params()) weights.put(p.name(), Tensor.f32(p.shape(), toFloats(params.get(p))));
                json.put("layers", layers(graph, analysis));
            }
            SafeTensors.write(folder.resolve("weights.safetensors"), weights, Map.of());
            long[] in = batched(spec.input().shape());
            long[] out = {BATCH, spec.outputUnits()};
            SafeTensors.write(folder.resolve("batch.safetensors"), Map.of("input", Tensor.f32(in, input),
                    "target", Tensor.f32(out, target), "seed", Tensor.f32(out, logitSeed)), Map.of());
            return json;
        }
    }

    private static String layerOf(Param p) {
        return p.name().substring(0, p.name().lastIndexOf('.'));
    }

    private static boolean hasAdapters(ModelGraph graph) {
        return graph.nodes().stream().anyMatch(n -> n.params().asMap().get(kiln.engine.catalog.LowRankAdapters.RANK) instanceof Integer r && r > 0);
    }

    private static Setup setup(ModelGraph graph, Random random) {
        GraphAnalysis analysis = ShapeInference.analyze(graph);
        assertTrue(analysis.isValid(), analysis.problems().toString());
        NetworkSpec spec = NetworkCompiler.compile(graph, analysis);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(random.nextLong());
        // Moves biases, BatchNorm's scale, shift and running statistics and the LSTM's forget bias off their
        // initial zeros and ones, where a mistake in their use could go unseen.
        for (Param p : spec.params()) {
            double[] v = params.get(p);
            for (int i = 0; i < v.length; i++) v[i] += 0.2 * random.nextDouble() - 0.1;
            params.set(p, v);
        }
        return new Setup(graph, analysis, spec, params, input(graph, spec, random),
                target(spec, random), gaussian(BATCH * spec.outputUnits(), random));
    }

    /** Token ids for a network that starts with an Embedding, otherwise normal values. */
    private static float[] input(ModelGraph graph, NetworkSpec spec, Random random) {
        int n = Math.toIntExact(BATCH * spec.input().size());
        String inputLayer = graph.inputNode().orElseThrow().name();
        for (Edge e : graph.outputsOf(inputLayer)) {
            Node next = graph.node(e.to());
            if (next.type().id().equals("embedding")) {
                int vocabulary = next.params().getInt("vocabulary");
                float[] ids = new float[n];
                for (int i = 0; i < n; i++) ids[i] = random.nextInt(vocabulary);
                return ids;
            }
        }
        return gaussian(n, random);
    }

    /** One-hot classes, 0/1 labels or numbers, as the loss expects. */
    private static float[] target(NetworkSpec spec, Random random) {
        int units = spec.outputUnits();
        float[] y = new float[BATCH * units];
        switch (spec.lossKind()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int i = 0; i < BATCH; i++) y[i * units + random.nextInt(units)] = 1;
            }
            case SIGMOID_BINARY_CROSS_ENTROPY -> {
                for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1 : 0;
            }
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> y = gaussian(y.length, random);
        }
        return y;
    }

    /** The chain of layers, for parity.py's hand-written network. */
    private static List<Map<String, Object>> layers(ModelGraph graph, GraphAnalysis analysis) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : analysis.order()) {
            List<TensorShape> in = analysis.get(name).inputShapes();
            out.add(Map.of("name", name, "type", graph.node(name).type().id(), "params", graph.node(name).params().asMap(),
                    "input", in.isEmpty() ? new long[0] : EngineShapes.of(in.get(0))));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyLayerTypeMatchesPyTorch() {
        return layerCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Map<String, double[]> kiln = KILN.get(c.name());
            Map<String, Tensor> torch = torchResults(c.name());
            List<String> problems = new ArrayList<>();
            String worst = compare(kiln, torch, problems);
            TreeSet<String> torchOnly = new TreeSet<>(torch.keySet());
            torchOnly.removeAll(kiln.keySet());
            if (!torchOnly.isEmpty()) problems.add("Kiln has no " + torchOnly);
            System.out.printf(Locale.ROOT, "parity %-34s %-16s worst %s%s%n", c.name(), c.type(), worst,
                    HAND_WRITTEN.contains(c.name()) ? " [hand-written PyTorch]" : "");
            assertTrue(problems.isEmpty(), c.name() + ": " + problems);
        }));
    }

    @TestFactory
    Stream<DynamicTest> optimizerStepsMatchPyTorch() {
        return optimizerCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Map<String, double[]> kiln = new LinkedHashMap<>(KILN.get(c.name()));
            Map<String, Tensor> torchResults = torchResults(c.name());
            double[] losses = kiln.remove("losses");
            double[] torch = torchResults.get("losses").doubles();
            assertEquals(STEPS, torch.length);
            List<String> problems = new ArrayList<>();
            double worstStep = 0;
            for (int i = 0; i < STEPS; i++) {
                double rel = Math.abs(losses[i] - torch[i]) / Math.abs(torch[i]);
                worstStep = Math.max(worstStep, rel);
                if (!(rel <= LOSS_TOLERANCE)) {
                    problems.add(String.format(Locale.ROOT, "step %d: Kiln %.6f, PyTorch %.6f", i + 1, losses[i], torch[i]));
                }
            }
            String worstWeight = kiln.isEmpty() ? "not compared" : compare(kiln, torchResults, problems);
            System.out.printf(Locale.ROOT, "parity %-34s losses %.4f → %.4f, worst step %.2e, final weights %s%n",
                    c.name(), torch[0], torch[STEPS - 1], worstStep, worstWeight);
            assertTrue(problems.isEmpty(), c.name() + ": " + problems);
            assertTrue(torch[STEPS - 1] < torch[0], "the loss falls over the steps");
        }));
    }

    /** Adds a problem for each of Kiln's tensors that PyTorch lacks or that differs; returns the worst difference. */
    private static String compare(Map<String, double[]> kiln, Map<String, Tensor> torch, List<String> problems) {
        String worst = "none";
        double worstDiff = -1;
        for (var e : kiln.entrySet()) {
            Tensor t = torch.get(e.getKey());
            if (t == null) {
                problems.add("PyTorch has no " + e.getKey());
                continue;
            }
            double[] b = t.dtype() == DType.F64 ? t.doubles() : toDoubles(t.floats());
            assertEquals(b.length, e.getValue().length, "size of " + e.getKey());
            double rel = relativeDifference(e.getValue(), b);
            if (rel > worstDiff) {
                worstDiff = rel;
                worst = String.format(Locale.ROOT, "%.2e (%s)", rel, e.getKey());
            }
            if (!(rel <= TOLERANCE)) problems.add(String.format(Locale.ROOT, "%s differs by %.3g", e.getKey(), rel));
        }
        return worst;
    }

    private static Map<String, Tensor> torchResults(String name) throws Exception {
        Path folder = dir.resolve("cases").resolve(name);
        Path error = folder.resolve("error.txt");
        if (Files.exists(error)) fail("PyTorch could not run " + name + ":\n" + Files.readString(error));
        return SafeTensors.read(folder.resolve("torch.safetensors")).tensors();
    }

    /** max|a − b| / max|b|, 0 when both are all zeros. */
    static double relativeDifference(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff == 0 ? 0 : diff / scale;
    }

    private static void writeJson(Path folder, Map<String, Object> json) throws Exception {
        new ObjectMapper().writeValue(folder.resolve("case.json").toFile(), json);
    }

    private static long[] batched(long[] sample) {
        long[] s = new long[sample.length + 1];
        s[0] = BATCH;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    private static float[] gaussian(int n, Random random) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) random.nextGaussian();
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
