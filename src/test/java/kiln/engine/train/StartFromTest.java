package kiln.engine.train;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Params;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.nn.LayerTraining;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The editor's Start from…: which layers take a trained model's weights, worked out before anything changes. */
class StartFromTest {

    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void trainSource() throws Exception {
        source = Files.createDirectories(dir.resolve("mlp"));
        Project p = TrainedProjects.copySample("mnist-mlp", source);
        // frozen in the source: the copy that comes in must train again unless the student freezes it
        p.graph().replace(p.graph().node("dense1").withTraining(new LayerTraining(false, 1, false)));
        ProjectIO.save(p, source);
        TrainedProjects.train(p, source, 200);
    }

    private static Project target(String name, int dense2Units) throws Exception {
        return TrainedProjects.mlpWithDense2(dir.resolve(name), dense2Units);
    }

    @Test
    void keepingThisNetworkLoadsWhatMatchesAndSaysWhyTheRestIsNew() throws Exception {
        Project p = target("keep", 64);
        ModelGraph before = p.graph().copy();
        Path folder = dir.resolve("keep");
        String label = StartFrom.label(folder, source, "run-1");
        assertEquals("../mlp:run-1", label);
        StartFrom.Plan plan = StartFrom.plan(p.graph(), folder, label, StartFrom.Mode.KEEP_THIS_NETWORK);
        assertEquals(List.of(
                "dense1 (Dense): loaded",
                "dense2 (Dense): skipped (shape differs: expected [64, 256] for dense2.weight, got [128, 256])",
                "output (Output): skipped (shape differs: expected [10, 64] for output.weight, got [10, 128])"),
                plan.report().stream().map(WeightTransfer.LayerResult::line).toList());
        assertEquals("Start from mlp, run-1", plan.description());
        assertEquals(1, plan.loadedCount());
        assertEquals("../mlp:run-1", plan.result().node("dense1").weightsFrom());
        assertNull(plan.result().node("dense2").weightsFrom(), "a skipped layer starts new");
        assertNull(plan.result().node("output").weightsFrom());
        assertTrue(before.sameContents(p.graph()), "planning changes nothing");
    }

    @Test
    void takingItsLayersBringsTheSourceNetworkWithThisProjectsInput() throws Exception {
        Project p = target("take", 32);
        Path folder = dir.resolve("take");
        var dense = LayerCatalog.get("dense");
        p.graph().replace(p.graph().node("dense1").withParams(Params.of(dense, Map.of("units", 16))));
        StartFrom.Plan plan = StartFrom.plan(p.graph(), folder, StartFrom.label(folder, source, "run-1"),
                StartFrom.Mode.TAKE_ITS_LAYERS);
        ModelGraph result = plan.result();
        assertEquals(256, result.node("dense1").params().getInt("units"), "the source's layers come in");
        assertEquals(128, result.node("dense2").params().getInt("units"));
        assertTrue(plan.report().stream().allMatch(r -> r.outcome() == WeightTransfer.Outcome.LOADED), plan.report().toString());
        for (String layer : List.of("dense1", "dense2", "output")) {
            Node n = result.node(layer);
            assertEquals("../mlp:run-1", n.weightsFrom(), layer);
            assertTrue(n.trainable(), layer + " trains: freezing is the student's choice here");
        }
        assertEquals(p.graph().node("input").params(), result.node("input").params());
    }

    @Test
    void theRunTrainedFromThePlanRecordsWhereItStartedAndHowManyWeightsTrained() throws Exception {
        Project p = target("trained", 64);
        Path folder = dir.resolve("trained");
        StartFrom.Plan plan = StartFrom.plan(p.graph(), folder, StartFrom.label(folder, source, "run-1"),
                StartFrom.Mode.KEEP_THIS_NETWORK);
        p.graph().setContents(plan.result());
        p.graph().replace(p.graph().node("dense1").withTraining(new LayerTraining(false, 1, false)));
        TrainedProjects.train(p, folder, 100);
        RunRecord record = RunFolder.open(folder.resolve("runs/run-1")).readRecord();
        assertEquals("dense1 (Dense): loaded (from ../mlp:run-1)", record.initFrom().get(0));
        long dense1 = 784L * 256 + 256;
        long all = dense1 + 256L * 64 + 64 + 64L * 10 + 10;
        assertEquals(all, record.totalParams());
        assertEquals(all - dense1, record.trainableParams());
    }

    @Test
    void aFolderThatIsNotAProjectIsRefusedInOneSentence() throws Exception {
        Project p = target("refused", 64);
        Path notes = Files.createDirectories(dir.resolve("notes"));
        var e = assertThrows(TrainingSession.SetupException.class, () -> StartFrom.plan(p.graph(), dir.resolve("refused"),
                StartFrom.label(dir.resolve("refused"), notes, "run-1"), StartFrom.Mode.KEEP_THIS_NETWORK));
        assertTrue(e.getMessage().startsWith("Cannot start from ../notes:run-1: ") && e.getMessage().contains("is not a Kiln project"),
                e.getMessage());
    }
}
