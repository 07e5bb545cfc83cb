package kiln.engine.train;

import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting from a trained model: weights matched by layer name and shape, refused otherwise, bad sources named. */
class WeightTransferTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepare() {
        NativeSetup.prepare();
    }

    private static ModelGraph cnn(int denseUnits, int classes, int loraRank) {
        return Graphs.start().then("input", "input", Map.of("height", 8, "width", 8, "channels", 1))
                .then("conv1", "conv2d", Map.of("filters", 4)).then("bn1", "batch_norm", Map.of())
                .then("pool1", "maxpool2d", Map.of()).then("flatten", "flatten", Map.of())
                .then("dense1", "dense", Map.of("units", denseUnits, "loraRank", loraRank))
                .then("output", "output", Map.of("units", classes)).build();
    }

    private static Project project(String name, ModelGraph g) {
        return new Project(name, g, new DataSourceSpec.Bundled("mnist"), Pipeline.scalePixels(), SplitSettings.defaults(),
                TrainingSettings.defaults());
    }

    private static NetworkSpec compile(ModelGraph g) {
        return NetworkCompiler.compile(g, ShapeInference.analyze(g));
    }

    /** A source project with one run whose weights are random but not the initialiser's, and their values. */
    private static Map<String, double[]> source(Path folder, ModelGraph g, int runs) throws Exception {
        ProjectIO.save(project("source", g), folder);
        NetworkSpec spec = compile(g);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        Random r = new Random(folder.hashCode());
        Map<String, double[]> values = new HashMap<>();
        for (int k = 0; k < runs; k++) {
            for (Param p : spec.params()) {
                double[] v = new double[(int) p.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() + (p.name().endsWith("running_var") ? 3 : 0));
                params.set(p, v);
                values.put(p.name(), params.get(p));
            }
            RunFolder.createNext(folder).saveCheckpoint(params, new Optimizer(params, Optimizer.Kind.SGD, 0, 0), 1);
        }
        return values;
    }

    @Test
    void layersWhoseNameAndShapesMatchGetTheWeightsAndTheOthersSayWhyNot() throws Exception {
        Path src = Files.createDirectories(dir.resolve("matching-source"));
        Map<String, double[]> trained = source(src, cnn(16, 10, 0), 2);
        // dense1 is narrower now, a new layer follows it, and the head has 3 classes.
        ModelGraph target = Graphs.start().then("input", "input", Map.of("height", 8, "width", 8, "channels", 1))
                .then("conv1", "conv2d", Map.of("filters", 4)).then("bn1", "batch_norm", Map.of())
                .then("pool1", "maxpool2d", Map.of()).then("flatten", "flatten", Map.of())
                .then("dense1", "dense", Map.of("units", 12)).then("extra", "dense", Map.of("units", 12))
                .then("output", "output", Map.of("units", 3)).build();
        NetworkSpec spec = compile(target);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(1);
        Parameters fresh = new Parameters(spec.params(), DataType.FLOAT);
        fresh.initialise(1);

        WeightTransfer.Source source = WeightTransfer.resolve(dir, "matching-source");
        assertEquals("run-2", source.run().id(), "the newest run by default");
        List<WeightTransfer.LayerResult> results = WeightTransfer.load(target, spec, params,
                target.nodes().stream().map(kiln.engine.model.Node::name).toList(), source);

        assertEquals(List.of(
                "conv1 (Conv2D): loaded",
                "bn1 (BatchNorm): loaded",
                "dense1 (Dense): skipped (shape differs: expected [12, 36] for dense1.weight, got [16, 36])",
                "extra (Dense): new (no layer of that name in matching-source, run-2)",
                "output (Output): skipped (shape differs: expected [3, 12] for output.weight, got [10, 16])"),
                results.stream().map(WeightTransfer.LayerResult::line).toList());
        for (Param p : spec.params()) {
            boolean loaded = p.name().startsWith("conv1.") || p.name().startsWith("bn1.");
            assertArrayEquals(loaded ? trained.get(p.name()) : fresh.get(p), params.get(p), p.name());
        }
    }

    @Test
    void aNamedRunIsUsedAndAMissingOneIsRefusedListingTheRunsThatExist() throws Exception {
        Path src = Files.createDirectories(dir.resolve("two-runs"));
        source(src, cnn(16, 10, 0), 2);
        assertEquals("run-1", WeightTransfer.resolve(dir, "two-runs:run-1").run().id());
        var e = assertThrows(TrainingSession.SetupException.class, () -> WeightTransfer.resolve(dir, "two-runs:run-7"));
        assertEquals("Cannot start from two-runs:run-7: two-runs has no run run-7 with saved weights; it has run-1, run-2.",
                e.getMessage());
    }

    @Test
    void aFolderThatIsNotAKilnProjectOrHasNoTrainedRunIsRefusedInOneLine() throws Exception {
        Path notProject = Files.createDirectories(dir.resolve("holiday-photos"));
        var e1 = assertThrows(TrainingSession.SetupException.class, () -> WeightTransfer.resolve(dir, "holiday-photos"));
        assertEquals("Cannot start from holiday-photos: " + notProject + " is not a Kiln project (it has no project.json); "
                + "name a project or a Kiln export folder.", e1.getMessage());

        var e2 = assertThrows(TrainingSession.SetupException.class, () -> WeightTransfer.resolve(dir, "nowhere"));
        assertTrue(e2.getMessage().startsWith("Cannot start from nowhere: ") && e2.getMessage().contains("is not a folder"),
                e2.getMessage());

        Path untrained = Files.createDirectories(dir.resolve("untrained"));
        ProjectIO.save(project("untrained", cnn(16, 10, 0)), untrained);
        var e3 = assertThrows(TrainingSession.SetupException.class, () -> WeightTransfer.resolve(dir, "untrained"));
        assertEquals("Cannot start from untrained: untrained has no run with saved weights; train it first "
                + "(kiln train untrained).", e3.getMessage());
        for (var e : List.of(e1, e2, e3)) assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void adaptersStartFreshOverAPretrainedLayerAndASourcesAdaptersAreMergedIntoAPlainLayer() throws Exception {
        Path plainSource = Files.createDirectories(dir.resolve("plain-source"));
        Map<String, double[]> plain = source(plainSource, cnn(16, 10, 0), 1);
        ModelGraph adapted = cnn(16, 10, 4);
        NetworkSpec spec = compile(adapted);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(1);
        List<WeightTransfer.LayerResult> r = WeightTransfer.load(adapted, spec, params, List.of("dense1"),
                WeightTransfer.resolve(dir, "plain-source"));
        assertEquals("dense1 (Dense): loaded (lora_A and lora_B start fresh)", r.get(0).line());
        Param w = spec.params().stream().filter(p -> p.name().equals("dense1.weight")).findFirst().orElseThrow();
        assertArrayEquals(plain.get("dense1.weight"), params.get(w));

        // The other way: the source trained dense1 through adapters; a plain layer gets W + scale·B·A.
        Path adaptedSource = Files.createDirectories(dir.resolve("adapted-source"));
        source(adaptedSource, adapted, 1);
        ModelGraph plainTarget = cnn(16, 10, 0);
        NetworkSpec plainSpec = compile(plainTarget);
        Parameters merged = new Parameters(plainSpec.params(), DataType.FLOAT);
        List<String> all = plainTarget.nodes().stream().map(kiln.engine.model.Node::name).toList();
        WeightTransfer.load(plainTarget, plainSpec, merged, all, WeightTransfer.resolve(dir, "adapted-source"));
        Parameters unmerged = new Parameters(spec.params(), DataType.FLOAT);
        WeightTransfer.load(adapted, spec, unmerged, all, WeightTransfer.resolve(dir, "adapted-source"));
        float[] x = new float[2 * 64]; // two 8×8 images
        Random rnd = new Random(3);
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        try (Network a = new Network(spec, unmerged); Network b = new Network(plainSpec, merged)) {
            float[] expected = a.logits(x, 2);
            float[] actual = b.logits(x, 2);
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4, "logit " + i);
        }
    }
}
