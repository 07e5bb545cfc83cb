package kiln.engine.train;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.LayerTraining;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.DynamicsFile;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer measurements training takes once per epoch, checked against the weights before and after a step. */
class LayerDynamicsTest {

    private static final int BATCH = 8;

    @TempDir
    Path projectFolder;

    @BeforeAll
    static void prepare() {
        NativeSetup.prepare();
    }

    private static NetworkSpec compile(ModelGraph g) {
        GraphAnalysis a = ShapeInference.analyze(g);
        assertTrue(a.isValid(), a.problems().toString());
        return NetworkCompiler.compile(g, a);
    }

    private static Param param(NetworkSpec spec, String name) {
        return spec.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    @Test
    void oneSgdStepIsMeasuredAsItsWeightsGradientsStepAndDeadUnits() {
        ModelGraph g = Graphs.start().then("data", "input", Map.of("kind", "vector", "size", 7))
                .then("dense1", "dense", Map.of("units", 6, "activation", "relu"))
                .then("dense2", "dense", Map.of("units", 4, "activation", "tanh"))
                .then("frozen", "dense", Map.of("units", 5, "activation", "tanh"))
                .then("out", "output", Map.of("units", 3)).build();
        g.replace(g.node("frozen").withTraining(new LayerTraining(false, 1, false)));
        NetworkSpec spec = compile(g);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(5);
        // Half of dense1's units are pushed far below zero: ReLU gives 0 for every sample.
        params.set(param(spec, "dense1.bias"), new double[] {-100, -100, -100, 0, 0, 0});
        Random r = new Random(3);
        float[] x = new float[BATCH * 7];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] t = new float[BATCH * 3];
        for (int n = 0; n < BATCH; n++) t[n * 3 + r.nextInt(3)] = 1;
        Map<String, float[]> outputs;
        try (Network infer = new Network(spec, params)) {
            outputs = infer.layerOutputs(x, BATCH); // no dropout here, so the same values training sees
        }
        Map<String, double[]> before = new HashMap<>();
        for (Param p : spec.params()) if (p.learned()) before.put(p.name(), params.get(p));
        double lr = 0.1;
        Optimizer sgd = TrainingSession.optimizerFor(new TrainingSettings("sgd", lr, 0, "constant", 1, 0.5, BATCH,
                1, 0, 0, 42, 0), spec, params);

        List<LayerDynamics> rows;
        try (Plan plan = new Plan(spec, params, BATCH, Plan.Mode.TRAIN, 1)) {
            DynamicsProbe probe = new DynamicsProbe(spec, params);
            plan.setInput(x);
            plan.setTarget(t);
            plan.forward();
            plan.backward();
            probe.beforeStep(plan);
            sgd.step(lr);
            rows = probe.afterStep(4);
        }

        assertEquals(List.of("dense1", "dense2", "frozen", "out"), rows.stream().map(LayerDynamics::layer).toList(),
                "every layer but the input, in graph order");
        for (LayerDynamics d : rows) {
            assertEquals(4, d.epoch());
            if (d.layer().equals("frozen")) {
                assertEquals(0, d.updateRatio(), "a frozen layer does not move");
                assertEquals(0, d.gradientNorm());
                continue;
            }
            double[] w0 = concat(before.get(d.layer() + ".weight"), before.get(d.layer() + ".bias"));
            double[] w1 = concat(params.get(param(spec, d.layer() + ".weight")), params.get(param(spec, d.layer() + ".bias")));
            double step = norm(minus(w1, w0));
            assertEquals(w0.length, d.parameters());
            assertEquals(norm(w1), d.weightNorm(), 1e-5 * norm(w1), d.layer() + " weight norm");
            assertEquals(step / norm(w0), d.updateRatio(), 1e-4 * d.updateRatio(), d.layer() + " update ratio");
            // Plain SGD steps by -lr·gradient, so the gradient's norm is the step's over lr.
            assertEquals(step / lr, d.gradientNorm(), 1e-4 * d.gradientNorm(), d.layer() + " gradient norm");
        }
        LayerDynamics dense1 = rows.get(0);
        assertEquals(0.5, dense1.deadShare(), 1e-12, "three of six units never fire");
        assertEquals(0, rows.get(1).deadShare(), "tanh units are not 0 on every sample");
        float[] a = outputs.get("dense1");
        double mean = 0;
        for (float v : a) mean += v;
        mean /= a.length;
        double sq = 0;
        for (float v : a) sq += (v - mean) * (v - mean);
        assertEquals(mean, dense1.activationMean(), 1e-5);
        assertEquals(Math.sqrt(sq / (a.length - 1)), dense1.activationStd(), 1e-5, "sample standard deviation");
    }

    @Test
    void aChannelIsDeadWhenItIsZeroAtEveryPlaceOfEverySample() {
        ModelGraph g = Graphs.start().then("data", "input", Map.of("kind", "image", "height", 3, "width", 3, "channels", 1))
                .then("conv", "conv2d", Map.of("filters", 3, "kernel", 2, "activation", "linear"))
                .then("flat", "flatten", Map.of())
                .then("out", "output", Map.of("units", 2)).build();
        var conv = compile(g).layerOutputs().get("conv");
        // Two samples of 3 channels of 2×2, as the engine lays them out (batch, channels, height, width).
        float[] v = {
            0, 0, 0, 0,   0, 0, 0, 0,   -1, -1, -1, -1,   // sample 0: channels 0 and 1 silent, channel 2 negative
            0, 0, 0, 0,   0, 0, 0, 2,   -1, -1, -1, -1};  // sample 1: channel 1 fires once
        double[] s = DynamicsProbe.activationStatistics(org.nd4j.linalg.factory.Nd4j.create(v, new long[] {2, 3, 2, 2}), conv);
        // By hand: mean (2 - 8) / 24 = -0.25; squares around it 15·0.0625 + 1·5.0625 + 8·0.5625 = 10.5, over 23.
        assertEquals(-0.25, s[0], 1e-6, "mean");
        assertEquals(Math.sqrt(10.5 / 23), s[1], 1e-6, "sample standard deviation");
        assertEquals(1.0 / 3, s[2], 1e-12, "only channel 0 is 0 everywhere; a negative channel is not dead");
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void trainingWritesOneRowPerLayerAndEpochAndAContinuedRunKeepsTheEarlierOnes() throws Exception {
        Project p = TrainingFixtures.sample("tabular-binary");
        p.setTraining(new TrainingSettings("adam", 1e-3, 0, "constant", 1, 1, 32, 2, 0, 0, 42, 1));
        TrainingSession.PreparedData data = TrainingFixtures.slice(p, 200, 50);
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        assertInstanceOf(TrainingEvent.Finished.class, TrainingSession.newRun(p, projectFolder, data, 200, events::add).run());

        RunFolder run = RunFolder.list(projectFolder).get(0);
        List<LayerDynamics> rows = DynamicsFile.read(run);
        List<String> layers = p.graph().nodes().stream().map(n -> n.name()).filter(n -> !n.equals("input")).toList();
        assertEquals(2 * layers.size(), rows.size());
        assertEquals(layers, rows.stream().filter(d -> d.epoch() == 2).map(LayerDynamics::layer).toList());
        // Each epoch's measurement is sent just before the epoch's end, and holds what the file holds.
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof TrainingEvent.LayersMeasured m) {
                TrainingEvent.EpochFinished next = assertInstanceOf(TrainingEvent.EpochFinished.class, events.get(i + 1));
                assertEquals(next.epoch(), m.epoch());
                assertEquals(rows.stream().filter(d -> d.epoch() == m.epoch()).toList(), m.layers());
            }
        }

        assertInstanceOf(TrainingEvent.Finished.class, TrainingSession.continueRun(p, run, data, 1, e -> { }).run());
        List<LayerDynamics> continued = DynamicsFile.read(run);
        assertEquals(rows, continued.subList(0, rows.size()), "earlier epochs are kept");
        assertEquals(List.of(3), continued.subList(rows.size(), continued.size()).stream()
                .map(LayerDynamics::epoch).distinct().toList());
    }

    @Test
    void aDamagedFileIsRefusedWithItsLineAndAMissingOneIsEmpty() throws IOException {
        RunFolder run = RunFolder.createNext(projectFolder);
        assertEquals(List.of(), DynamicsFile.read(run), "older and imported runs have no measurements");
        List<LayerDynamics> rows = List.of(new LayerDynamics(1, "dense1", 10, 2.5, 0.125, 1e-3, 0.25, 0.5, 1.5),
                new LayerDynamics(1, "out", 3, 1, 0.5, 2e-3, Double.NaN, Double.NaN, Double.NaN));
        DynamicsFile.write(run, rows);
        assertEquals(rows, DynamicsFile.read(run));
        Files.writeString(DynamicsFile.of(run), Files.readString(DynamicsFile.of(run)).replace("2.5", "2.x"));
        IOException e = assertThrows(IOException.class, () -> DynamicsFile.read(run));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(DynamicsFile.of(run), "epoch,layer\n1,dense1\n");
        e = assertThrows(IOException.class, () -> DynamicsFile.read(run));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }
}
