package kiln.engine.runs;

import kiln.engine.project.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Display names in run.json (old files without one still load), and deleting a run. */
class RunFolderTest {

    @TempDir
    Path project;

    private RunFolder newRun() throws Exception {
        RunFolder run = RunFolder.createNext(project);
        run.writeRecord(new RunRecord(run.id(), "completed", "2026-01-01T00:00:00Z", 12.5, 2, 2, 0.3, 0.31, 0.9,
                1000, null, TrainingSettings.defaults()));
        return run;
    }

    @Test
    void aRunRecordedAsRunningWhoseProcessEndedShowsAsInterrupted() throws Exception {
        RunFolder run = newRun();
        run.writeRecord(run.readRecord().withProgress("running", 12.5, 2, 2, 0.3));
        try (RunFolder.Lease lease = run.lease()) {
            assertEquals("running", run.readCurrentRecord().status(), "a run that holds its lock is training");
        }
        RunRecord shown = run.readCurrentRecord();
        assertEquals("interrupted", shown.status());
        assertTrue(shown.message().contains("epoch 2 is saved and can be continued"), shown.message());
        assertEquals("running", run.readRecord().status(), "the file itself is not rewritten");
    }

    @Test
    void aRunCanBeRenamedAndTheNameCleared() throws Exception {
        RunFolder run = newRun();
        assertEquals("run-1", run.readRecord().displayName());
        run.rename("  Adam, lr 0.001  ");
        assertEquals("Adam, lr 0.001", run.readRecord().name());
        assertEquals("Adam, lr 0.001", run.readRecord().displayName());
        assertEquals(0.9, run.readRecord().testAccuracy(), "renaming keeps the rest of the record");
        assertEquals("Adam, lr 0.001", run.readRecord().withEnding("failed", 1, 1, 0, "x").name(), "edits keep the name");
        run.rename(" ");
        assertNull(run.readRecord().name());
    }

    @Test
    void runJsonWrittenBeforeNamesExistedStillLoads() throws Exception {
        RunFolder run = newRun();
        String json = Files.readString(run.dir().resolve("run.json"));
        String old = json.replaceAll(",\\s*\"name\"\\s*:\\s*null", "");
        assertFalse(old.contains("\"name\""), "the old format has no name key");
        Files.writeString(run.dir().resolve("run.json"), old);
        RunRecord r = run.readRecord();
        assertNull(r.name());
        assertEquals("run-1", r.displayName());
        assertEquals(1000, r.limitTrain());
    }

    @Test
    void deletingARunRemovesItsFolderAndOnlyThat() throws Exception {
        RunFolder first = newRun();
        RunFolder second = newRun();
        Files.writeString(first.metricsFile(), "epoch\n");
        first.delete();
        assertFalse(Files.exists(first.dir()));
        assertTrue(Files.exists(second.dir()));
        assertEquals(1, RunFolder.list(project).size());
    }
}
