package kiln.engine.cli;

import kiln.engine.eval.TrainedProjects;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln train --init-from: one line per layer, then training; the run records where its weights came from. */
class TrainInitFromTest {

    @TempDir
    static Path dir;
    static Path source;

    /** Beside the targets: a run records where its weights came from relative to its project. */
    @BeforeAll
    static void trainSource() throws Exception {
        source = dir.resolve("mlp");
        TrainedProjects.trainedSample("mnist-mlp", source, 300);
    }

    /** The MLP with a narrower second layer, so that one layer cannot take the source's weights. */
    private static Path target(String name) throws Exception {
        Path folder = dir.resolve(name);
        TrainedProjects.mlpWithDense2(folder, 64);
        return folder;
    }

    @Test
    void printsOneLinePerLayerThenTrainsAndRecordsTheSourceInTheRun() throws Exception {
        Path target = target("fine-tune");
        String projectJson = Files.readString(target.resolve("project.json"));
        CliRun r = kiln("train", target.toString(), "--init-from", source + ":run-1", "--epochs", "1", "--limit-train", "200");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int at = lines.indexOf("Weights, layer by layer:");
        assertTrue(at >= 0, r.out());
        assertEquals(List.of(
                "  dense1 (Dense): loaded (from ../mlp:run-1)",
                "  dense2 (Dense): skipped (shape differs: expected [64, 256] for dense2.weight, got [128, 256])",
                "  output (Output): skipped (shape differs: expected [10, 64] for output.weight, got [10, 128])"),
                lines.subList(at + 1, at + 4));
        assertTrue(r.out().contains("test accuracy: "), r.out());
        RunRecord record = RunFolder.open(target.resolve("runs/run-1")).readRecord();
        assertEquals(lines.subList(at + 1, at + 4).stream().map(String::strip).toList(), record.initFrom());
        assertEquals(projectJson, Files.readString(target.resolve("project.json")), "the project file is left as it was");
    }

    @Test
    void aSourceThatIsNotAProjectIsOneLineAndNoRunIsMade() throws Exception {
        Path target = target("bad-source");
        Path notes = Files.createDirectories(dir.resolve("notes"));
        CliRun r = kiln("train", target.toString(), "--init-from", notes.toString(), "--epochs", "1");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("kiln: Cannot start from ") && r.err().contains("is not a Kiln project"), r.err());
        assertFalse(Files.exists(target.resolve("runs")) && RunFolder.list(target).size() > 0, "no run is created");
    }
}
