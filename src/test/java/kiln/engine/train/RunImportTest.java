package kiln.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Importing a run trained outside Kiln: a good folder becomes run-N that reads, evaluates and lists like any run;
 * every kind of bad folder is refused with a line naming the file and the fix, and leaves the project as it was.
 * The outside folder is made from a Kiln run of the small tabular sample (the format train.py writes; the
 * PyTorch side is in PyTorchTrainExportTest).
 */
class RunImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    Project project;
    Path outside;
    double testAccuracy;

    @BeforeEach
    void trainedRunAsTrainPyWritesIt() throws Exception {
        project = TrainedProjects.trainedSample("tabular-binary", dir, 0);
        RunFolder run = RunFolder.list(dir).get(0);
        testAccuracy = Evaluator.evaluate(TrainedModel.load(project, dir, run.id(), TrainedModel.Weights.LAST,
                Progress.NONE), Progress.NONE).accuracy();
        outside = Files.createDirectories(elsewhere.resolve("run"));
        for (String f : List.of("metrics.csv", "checkpoint.safetensors", "best.safetensors")) {
            Files.copy(run.dir().resolve(f), outside.resolve(f));
        }
        RunRecord r = run.readRecord();
        ObjectNode result = JSON.createObjectNode();
        result.put("format", RunImport.RESULT_FORMAT).put("project", project.name()).put("status", "completed")
                .put("started", "2026-12-01T10:00:00Z").put("epochs", 1).put("best_epoch", 1)
                .put("best_validation_loss", r.bestValidationLoss()).put("test_loss", 0.2)
                .put("test_accuracy", testAccuracy).put("seconds", 3.5).put("processes", 2).put("device", "cpu")
                .put("torch", "2.13.0+cpu").put("limit_train", r.limitTrain());
        result.set("settings", JSON.valueToTree(r.settings()));
        result.set("data_record", JSON.readTree(run.dataRecordFile().toFile()));
        Files.writeString(outside.resolve(RunImport.RESULT), result.toPrettyString());
    }

    @Test
    void anImportedRunIsANewRunThatListsReadsAndEvaluatesLikeOneTrainedInKiln() throws Exception {
        RunFolder imported = RunImport.importRun(project, dir, outside.getParent()); // the export folder holding run/
        assertEquals("run-2", imported.id());
        RunRecord r = imported.readCurrentRecord();
        assertEquals("run-2", r.id());
        assertEquals("completed", r.status());
        assertEquals(1, r.epochsCompleted());
        assertEquals(testAccuracy, r.testAccuracy());
        assertTrue(r.message().contains("PyTorch 2.13.0+cpu on 2 processes"), r.message());
        assertEquals(1, imported.readMetrics().size());
        assertEquals(List.of("run-1", "run-2"), RunFolder.list(dir).stream().map(RunFolder::id).toList());
        try (Stream<Path> s = Files.list(dir.resolve(RunFolder.RUNS))) {
            assertEquals(2, s.count(), "no preparation folder is left behind");
        }
        for (TrainedModel.Weights w : TrainedModel.Weights.values()) {
            TrainedModel model = TrainedModel.load(project, dir, "run-2", w, Progress.NONE);
            assertEquals(testAccuracy, Evaluator.evaluate(model, Progress.NONE).accuracy(), "evaluation of run-2, " + w);
        }
    }

    @Test
    void aFolderWithoutMetricsIsRefused() throws Exception {
        Files.delete(outside.resolve("metrics.csv"));
        refused("has no metrics.csv");
    }

    @Test
    void metricsWithoutKilnsHeaderAreRefused() throws Exception {
        edit("metrics.csv", s -> s.substring(s.indexOf('\n') + 1));
        refused("is not a Kiln metrics file: its first line must be 'epoch,train_loss,");
    }

    @Test
    void aDamagedMetricsRowIsRefusedWithItsLineNumber() throws Exception {
        edit("metrics.csv", s -> s.replaceFirst("\n1,", "\n1,x"));
        refused("metrics.csv line 2 is damaged");
    }

    @Test
    void metricsWithFewerEpochsThanTheResultAreRefused() throws Exception {
        editResult(r -> r.put("epochs", 3));
        refused("has 1 epoch rows but result.json says 3 epochs");
    }

    @Test
    void missingWeightsAreRefused() throws Exception {
        Files.delete(outside.resolve("checkpoint.safetensors"));
        refused("has no checkpoint.safetensors");
    }

    @Test
    void truncatedWeightsAreRefused() throws Exception {
        Path w = outside.resolve("checkpoint.safetensors");
        byte[] all = Files.readAllBytes(w);
        Files.write(w, Arrays.copyOf(all, all.length - 100));
        refused("The weights in " + w);
    }

    @Test
    void corruptWeightsAreRefused() throws Exception {
        Files.writeString(outside.resolve("best.safetensors"), "not a weights file at all");
        refused("The weights in " + outside.resolve("best.safetensors"));
    }

    @Test
    void aMissingOrCorruptResultIsRefused() throws Exception {
        Files.writeString(outside.resolve(RunImport.RESULT), "{ not json");
        refused("result.json cannot be read");
        Files.delete(outside.resolve(RunImport.RESULT));
        refused("has no result.json, which train.py writes when it finishes");
    }

    @Test
    void resultSettingsKilnCannotUseAreRefused() throws Exception {
        editResult(r -> ((ObjectNode) r.get("settings")).put("learningRate", -1));
        refused("has settings Kiln cannot use: Learning rate is -1.0");
    }

    @Test
    void aRunOfAnotherArchitectureIsRefusedNamingTheLayerAndShapes() throws Exception {
        var g = project.graph();
        g.replace(g.node("dense1").withParams(g.node("dense1").params().with(LayerCatalog.get("dense"), "units", 12)));
        ProjectIO.save(project, dir);
        String message = refused("is from a different network: dense1 (Dense) has dense1.weight");
        assertTrue(message.contains("[16, 30] in the run but [12, 30] in the project"), message);
    }

    @Test
    void aRunWithALayerTheProjectLacksIsRefused() throws Exception {
        kiln.engine.edit.GraphEdits.rename(project.graph(), "dense1", "first").execute();
        ProjectIO.save(project, dir);
        refused("has dense1.weight [16, 30], which the project's network has no layer for");
    }

    /** Imports {@link #outside}, expects a refusal with {@code expected} in it, and checks the project is unchanged. */
    private String refused(String expected) throws Exception {
        Map<String, String> before = snapshot(dir);
        RunImport.RefusedException e = assertThrows(RunImport.RefusedException.class,
                () -> RunImport.importRun(project, dir, outside));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(before, snapshot(dir), "the project folder is unchanged");
        return e.getMessage();
    }

    private void edit(String file, java.util.function.UnaryOperator<String> change) throws IOException {
        Path p = outside.resolve(file);
        Files.writeString(p, change.apply(Files.readString(p, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private void editResult(Consumer<ObjectNode> change) throws IOException {
        ObjectNode r = (ObjectNode) JSON.readTree(outside.resolve(RunImport.RESULT).toFile());
        change.accept(r);
        Files.writeString(outside.resolve(RunImport.RESULT), r.toPrettyString());
    }

    /** Every file under the folder with its size and a hash of its bytes. */
    private static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                out.put(folder.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + ":" + Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
