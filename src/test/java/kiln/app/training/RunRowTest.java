package kiln.app.training;

import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the runs table and the run comparison say about a run: its final accuracy, and where its weights started. */
class RunRowTest {

    private static RunRow row(double testAccuracy, List<String> initFrom) {
        RunRecord r = new RunRecord("run-2", "completed", "2026-12-01T00:00:00Z", 12, 2, 2, 0.3, 0.31, testAccuracy,
                1000, null, TrainingSettings.defaults(), null, initFrom, 93_322L, 650L);
        var epoch = new TrainingEvent.EpochFinished(2, 0.4, 0.88, 0.35, 0.87, 6, 0.001, true);
        return new RunRow(RunFolder.open(Path.of("runs", "run-2")), r, List.of(epoch), List.of(), null);
    }

    @Test
    void theFinalAccuracyIsTheTestOneOrElseTheLastValidationOne() {
        assertEquals(0.91, row(0.91, List.of()).finalAccuracy());
        assertEquals("test", row(0.91, List.of()).finalAccuracySplit());
        assertEquals(0.87, row(Double.NaN, List.of()).finalAccuracy());
        assertEquals("validation", row(Double.NaN, List.of()).finalAccuracySplit());
    }

    @Test
    void weightsFromNamesTheSourceAndHowManyLayersItGave() {
        assertEquals("new", row(0.9, List.of()).weightsFrom());
        assertEquals("../mnist-cnn:run-1, 2 of 3 layers", row(0.9, List.of(
                "conv1 (Conv2D): loaded (from ../mnist-cnn:run-1)",
                "dense1 (Dense): loaded (from ../mnist-cnn:run-1; lora_A and lora_B start fresh)",
                "head (Output): new (no layer of that name in mnist-cnn, run-1)")).weightsFrom());
        assertEquals("new (no layer matched)", row(0.9, List.of(
                "output (Output): skipped (shape differs: expected [3, 64] for output.weight, got [10, 64])")).weightsFrom());
    }

    @Test
    void theNewestFolderWithoutARecordYetIsARunStartingAndAnOlderOneIsDamaged(@org.junit.jupiter.api.io.TempDir Path project)
            throws Exception {
        RunFolder first = RunFolder.createNext(project);
        RunFolder second = RunFolder.createNext(project);
        assertEquals(List.of(), RunRow.readAll(project).stream().filter(r -> r.id().equals(second.id())).toList(),
                "the folder a run is being set up in is not listed yet");
        List<RunRow> rows = RunRow.readAll(project);
        assertEquals(List.of(first.id()), rows.stream().map(RunRow::id).toList());
        assertEquals(true, rows.get(0).problem() != null, "an older folder without run.json is damaged");
        java.nio.file.Files.setLastModifiedTime(second.dir(),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertEquals(2, RunRow.readAll(project).size(), "one left without a record for minutes is listed, as damaged");
    }
}
