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
}
