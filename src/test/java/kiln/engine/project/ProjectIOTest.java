package kiln.engine.project;

import kiln.engine.data.BundledData;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.project.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectIOTest {

    @TempDir
    Path dir;

    static Project residualProject() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("height", 32, "width", 32, "channels", 3))
                .then("stem", "conv2d", Map.of("filters", 16, "padding", "same"))
                .then("c1", "conv2d", Map.of("filters", 16, "padding", "same", "activation", "leaky_relu"))
                .then("skip", "add", Map.of()).connect("stem", "skip", 1)
                .then("drop", "dropout", Map.of("rate", 0.25))
                .then("gap", "global_avg_pool", Map.of()).then("out", "output", Map.of()).build();
        g.replace(g.node("c1").withPosition(123.5, -40));
        return new Project("Residual test", g, new DataSourceSpec.ImageFolder("images", 32, 32, 3),
                Pipeline.scalePixels(), new SplitSettings(0.15, 0.25, 9, false),
                new TrainingSettings("sgd", 0.05, 0.8, "cosine", 2, 0.3, 16, 7, 1e-4, 3, 99, 1));
    }

    private static void assertSameProject(Project a, Project b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.graph().nodes(), b.graph().nodes());
        assertEquals(a.graph().edges(), b.graph().edges());
        assertEquals(a.data(), b.data());
        assertEquals(a.pipeline(), b.pipeline());
        assertEquals(a.split(), b.split());
        assertEquals(a.training(), b.training());
    }

    @Test
    void aSavedProjectLoadsBackIdenticallyAndResavesByteForByte() throws Exception {
        Project p = residualProject();
        ProjectIO.save(p, dir);
        byte[] first = Files.readAllBytes(dir.resolve("project.json"));

        Project back = ProjectIO.load(dir);
        ProjectIO.save(back, dir);

        assertSameProject(p, back);
        assertEquals(new String(first), Files.readString(dir.resolve("project.json")));
        String text = new String(first);
        assertTrue(text.startsWith("{\n  \"format\" : \"kiln-project\",\n  \"formatVersion\" : 1,"), text);
        assertTrue(text.contains("\"stride\" : 1,") && text.contains("\"rate\" : 0.25"), "defaults are written out too");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("project.json"), files.map(f -> f.getFileName().toString()).toList(), "no temporary files left");
        }
    }

    @Test
    void everyDataKindRoundTrips() throws Exception {
        for (DataSourceSpec spec : List.of(new DataSourceSpec.Bundled("fashion-mnist"),
                new DataSourceSpec.Idx("a.gz", "b.gz", "c.gz", "d.gz", List.of("x", "y")),
                new DataSourceSpec.Cifar10("/home/me/cifar-10-batches-bin"),
                new DataSourceSpec.Csv("data/table.csv", "target"))) {
            Project p = residualProject();
            p.setData(spec);
            ProjectIO.save(p, dir);
            assertEquals(spec, ProjectIO.load(dir).data());
        }
    }

    @Test
    void frozenLayersRateMultipliersAndWeightSourcesRoundTripAndAreWrittenOnlyWhereSet() throws Exception {
        Project p = residualProject();
        ModelGraph g = p.graph();
        g.replace(g.node("stem").withTraining(new kiln.engine.nn.LayerTraining(false, 1, true)).withWeightsFrom("../base:run-2"));
        g.replace(g.node("c1").withTraining(new kiln.engine.nn.LayerTraining(true, 0.1, false)));
        ProjectIO.save(p, dir);
        String text = Files.readString(dir.resolve("project.json"));

        Project back = ProjectIO.load(dir);

        assertSameProject(p, back);
        assertFalse(back.graph().node("stem").trainable());
        assertEquals(0.1, back.graph().node("c1").training().rateMultiplier());
        assertEquals("../base:run-2", back.graph().node("stem").weightsFrom());
        assertEquals(1, text.split("\"trainable\" : false", -1).length - 1, text);
        assertEquals(1, text.split("\"weightsFrom\"", -1).length - 1, text);
        assertTrue(text.contains("\"learningRateMultiplier\" : 0.1") && text.contains("\"updateStatistics\" : true"), text);
    }

    @Test
    void theTwoPhaseRecipeAndATrainingSubsetRoundTripAndAreWrittenOnlyWhenSet() throws Exception {
        Project p = residualProject();
        ProjectIO.save(p, dir);
        String plain = Files.readString(dir.resolve("project.json"));
        assertFalse(plain.contains("headEpochs") || plain.contains("fineTuneRateFactor") || plain.contains("trainingSamples"),
                "files without the recipe or a subset look as before: " + plain);

        p.setTraining(p.training().withHeadFirst(3, 0.05));
        p.setSplit(p.split().withTrainingSamples(1000));
        ProjectIO.save(p, dir);
        String text = Files.readString(dir.resolve("project.json"));
        Project back = ProjectIO.load(dir);

        assertSameProject(p, back);
        assertEquals(3, back.training().headEpochs());
        assertEquals(0.05, back.training().fineTuneRateFactor());
        assertEquals(1000, back.split().trainingSamples());
        assertTrue(text.contains("\"headEpochs\" : 3") && text.contains("\"fineTuneRateFactor\" : 0.05")
                && text.contains("\"trainingSamples\" : 1000"), text);
    }

    @Test
    void aFailedSaveLeavesTheOldFileIntact() throws Exception {
        ProjectIO.save(residualProject(), dir);
        String before = Files.readString(dir.resolve("project.json"));

        assertThrows(java.io.IOException.class, () -> kiln.engine.util.AtomicFiles.write(dir.resolve("project.json"), tmp -> {
            Files.writeString(tmp, "{ \"format\" : \"kiln-pro");
            throw new java.io.IOException("disk full");
        }));

        assertEquals(before, Files.readString(dir.resolve("project.json")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated          | {"format": "kiln-project", "formatVersion": 1, "name": "x", "gra        | is not valid JSON (line 1
            not json           | hello                                                                      | is not valid JSON
            not a project      | {"format": "something-else", "formatVersion": 1}                           | project.json at $: this is not a Kiln project file
            newer format       | {"format": "kiln-project", "formatVersion": 3}                             | project.json at $.formatVersion: the project was made by a newer Kiln (format 3); this Kiln reads up to format 1. Update Kiln
            no graph           | {"format": "kiln-project", "formatVersion": 1, "name": "x"}                | project.json at $: the entry "graph" is missing
            unknown layer      | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "convolution", "x": 0, "y": 0}]}} | project.json at $.graph.nodes[0].type: unknown layer type "convolution"; known types: [input, dense
            out of range       | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "conv2d", "x": 0, "y": 0, "params": {"kernel": 0}}]}} | project.json at $.graph.nodes[0].params: Kernel size is 0; use a whole number from 1 to 15
            wrong type         | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": "left", "y": 0}]}} | project.json at $.graph.nodes[0].x: should be a number but is the text "left"
            unknown param      | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": 0, "y": 0, "params": {"neurons": 5}}]}} | project.json at $.graph.nodes[0].params: Dense has no parameter 'neurons'
            duplicate name     | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": 0, "y": 0}, {"name": "a", "type": "dense", "x": 0, "y": 0}]}} | project.json at $.graph.nodes[1].name: a layer named 'a' already exists
            edge to nowhere    | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": 0, "y": 0}], "edges": [{"from": "a", "to": "b", "port": 0}]}} | project.json at $.graph.edges[0].to: no layer is named "b"
            bad port           | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "input", "x": 0, "y": 0}, {"name": "b", "type": "dense", "x": 0, "y": 0}], "edges": [{"from": "a", "to": "b", "port": 2}]}} | project.json at $.graph.edges[0].port: port 2 does not exist on b (Dense), which takes ports 0 to 0
            no data            | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}} | project.json at $: the entry "data" is missing
            unknown data kind  | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "parquet"}} | project.json at $.data.kind: unknown data kind "parquet"
            unknown bundled    | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "imagenet"}} | project.json at $.data.name: unknown bundled data set "imagenet"; use one of [mnist, fashion-mnist, breast-cancer]
            path escapes       | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "csv", "file": "../../secret.csv", "labelColumn": "y"}} | project.json at $.data.file: the path "../../secret.csv" leaves the project folder
            unknown step       | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "pipeline": {"steps": [{"type": "sharpen"}]}} | project.json at $.pipeline.steps[0].type: unknown data step "sharpen"
            zero learning rate | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "training": {"learningRate": 0}} | project.json at $.training: Learning rate is 0.0; use a number above 0
            zero rate multiplier | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": 0, "y": 0, "learningRateMultiplier": 0}]}} | project.json at $.graph.nodes[0].learningRateMultiplier: the learning-rate multiplier must be above 0 and at most 100.0, not 0.0
            trainable as text  | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": [{"name": "a", "type": "dense", "x": 0, "y": 0, "trainable": "no"}]}} | project.json at $.graph.nodes[0].trainable: should be true or false but is the text "no"
            negative head epochs | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "training": {"headEpochs": -2}} | project.json at $.training: Head-first epochs is -2; use 0 (off) to 10000.
            rate factor above 1 | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "training": {"headEpochs": 2, "fineTuneRateFactor": 2}} | project.json at $.training: Fine-tune rate factor is 2.0; use a value above 0 and at most 1 (0.1 is usual).
            head epochs as text | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "training": {"headEpochs": "three"}} | project.json at $.training.headEpochs: should be
            negative subset    | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "split": {"trainingSamples": -5}} | project.json at $.split: Training samples is -5; use 0 (all of the training split) or a count of samples.
            bad split          | {"format": "kiln-project", "formatVersion": 1, "name": "x", "graph": {"nodes": []}, "data": {"kind": "bundled", "name": "mnist"}, "split": {"validationFraction": 0.7, "testFraction": 0.5}} | project.json at $.split: Validation and test fractions add up to 1.2
            """)
    void badFilesGetOneMessageNamingThePlace(String name, String content, String expected) throws Exception {
        Files.writeString(dir.resolve("project.json"), content);

        ProjectFormatException e = assertThrows(ProjectFormatException.class, () -> ProjectIO.load(dir));

        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    @Test
    void aFolderWithoutAProjectIsNamed() {
        ProjectFormatException e = assertThrows(ProjectFormatException.class, () -> ProjectIO.load(dir));
        assertEquals(dir + " is not a Kiln project: it has no project.json", e.getMessage());
    }

    @Test
    void aGraphWithShapeErrorsStillLoads() throws Exception {
        Project p = residualProject();
        p.graph().remove("stem");
        ProjectIO.save(p, dir);

        Project back = ProjectIO.load(dir);

        assertTrue(!ShapeInference.analyze(back.graph()).isValid(), "the editor shows the problem; loading does not refuse it");
    }

    @Test
    void formatZeroIsMigrated() throws Exception {
        Files.writeString(dir.resolve("project.json"), """
                {"format": "kiln-project", "formatVersion": 0, "name": "old",
                 "model": {"nodes": [{"name": "in", "type": "input", "x": 0, "y": 0, "params": {"kind": "vector", "size": 4}},
                                     {"name": "out", "type": "output", "x": 200, "y": 0, "params": {"units": 2}}],
                           "edges": [{"from": "in", "to": "out", "input": 0}]},
                 "data": {"kind": "bundled", "name": "mnist"}}
                """);

        Project p = ProjectIO.load(dir);

        assertEquals(List.of(new kiln.engine.model.Edge("in", "out", 0)), p.graph().edges());
        assertEquals(TrainingSettings.defaults(), p.training(), "missing sections take defaults");
        assertEquals(p.name(), "old");
    }

    @ParameterizedTest
    @CsvSource({"mnist-cnn, 93322", "mnist-mlp, 235146", "fashion-mnist-cnn, 120382", "tabular-binary, 641",
            "cifar10-lenet, 62006", "cifar10-resnet-small, 122570", "transfer-mnist-to-fashion, 120382",
            "transfer-mnist-to-fashion/pretrained, 120382"})
    void theSampleProjectsLoadAndAreValid(String sample, long params) throws Exception {
        Project p = ProjectIO.load(BundledData.sampleProjectsFolder().orElseThrow().resolve(sample));

        assertTrue(ShapeInference.analyze(p.graph()).isValid());
        assertEquals(params, ModelSummary.of(p.graph()).totalParams());
    }
}
