package kiln.app.training;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.sweep.SweepTrial;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static kiln.app.FxWaits.onFx;
import static kiln.app.FxWaits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training → Sweep… on the tabular sample: edit a sweep, run it, read and sort the results, apply the best, stop and resume. */
@ExtendWith(ApplicationExtension.class)
class SweepDialogTest {

    @TempDir
    static Path dir;
    private static int copies;
    private Path folder;
    private ProjectDocument document;
    private FxTaskExecutor executor;
    private SweepDialog dialog;
    private final AtomicInteger runsChanged = new AtomicInteger();

    @Start
    void start(Stage stage) throws Exception {
        folder = SampleCopies.copy("tabular-binary", dir.resolve("t" + copies++));
        document = new ProjectDocument(ProjectIO.load(folder), folder);
        executor = new FxTaskExecutor(3);
        stage.setScene(new Scene(new StackPane(), 200, 100));
        stage.show();
        dialog = new SweepDialog(new ViewContext(document, executor, stage), runsChanged::incrementAndGet);
        dialog.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> dialog.stage().close());
        executor.shutdown();
    }

    private void set(FxRobot robot, String id, String text) {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        robot.interact(() -> f.setText(text));
    }

    /** Presses a button as a click would (the dialog may be larger than the headless screen). */
    private void press(FxRobot robot, String id) {
        Button b = robot.lookup(id).queryButton();
        assertFalse(b.isDisabled(), id + " is disabled");
        robot.interact(b::fire);
    }

    @SuppressWarnings("unchecked")
    private TableView<SweepTrial> table(FxRobot robot) {
        return robot.lookup("#sweepTable").queryAs(TableView.class);
    }

    private String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void aGridSweepRunsEveryTrialMarksTheBestAndAppliesItsValuesAsOneUndoableEdit(FxRobot robot) throws Exception {
        set(robot, "#sweepValues0", "0.0003,0.01");
        press(robot, "#sweepAddParam");
        @SuppressWarnings("unchecked")
        ComboBox<String> target = robot.lookup("#sweepTarget1").queryAs(ComboBox.class);
        robot.interact(() -> target.setValue("dense1.units"));
        assertEquals("8,16,32", robot.lookup("#sweepValues1").queryAs(TextField.class).getText(),
                "values around the layer's own 16 units");
        set(robot, "#sweepValues1", "4,32");
        set(robot, "#sweepEpochs", "3");
        assertEquals("4 trials (every combination), 3 epochs each.", text(robot, "#sweepSummary"));

        set(robot, "#sweepValues1", "4,0");
        assertEquals("dense1.units=4,0: Units is 0; use a whole number from 1 to 100000.", text(robot, "#sweepSummary"));
        assertTrue(robot.lookup("#sweepRun").queryButton().isDisabled(), "a bad value cannot run");
        set(robot, "#sweepValues1", "4,32");
        assertFalse(robot.lookup("#sweepRun").queryButton().isDisabled());

        press(robot, "#sweepRun");
        waitUntil("the sweep ends", 180, () -> onFx(() -> text(robot, "#sweepResult").startsWith("Best: ")));
        TableView<SweepTrial> table = table(robot);
        List<SweepTrial> trials = onFx(() -> List.copyOf(table.getItems()));
        assertEquals(4, trials.size());
        assertTrue(trials.stream().allMatch(SweepTrial::done), trials.toString());
        SweepTrial best = trials.stream().min(Comparator.comparingDouble(SweepTrial::validationLoss)).orElseThrow();
        assertTrue(text(robot, "#sweepResult").startsWith("Best: " + best.label() + " (lowest validation loss)"),
                text(robot, "#sweepResult"));
        List<String> marked = onFx(() -> robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .map(c -> c.getText()).filter(t -> t != null && t.contains("★ best")).toList());
        assertEquals(List.of(best.number() + "  ★ best"), marked);
        for (SweepTrial t : trials) {
            RunRecord r = RunFolder.open(folder.resolve("runs").resolve(t.run())).readRecord();
            assertTrue(r.group().startsWith("sweep-"), r.group());
            assertEquals(t.values().get("training.learningRate"), r.settings().learningRate());
        }
        assertTrue(runsChanged.get() >= 4, "the run history is told of every trial");

        // the chart: one line per dense1.units value across the learning rates, and the best trial as its own point
        CurveChart chart = robot.lookup("#sweepChart").queryAs(CurveChart.class);
        List<String> legend = onFx(() -> chart.curves().values().stream().map(CurveChart.Curve::label).sorted().toList());
        assertEquals(List.of("best: trial " + best.number(), "dense1.units=32", "dense1.units=4"), legend);
        assertEquals(2, (int) onFx(() -> chart.curves().get("line0").size()));

        // sorting by validation loss puts the best first
        robot.interact(() -> {
            var column = table.getColumns().stream().filter(c -> c.getText().equals("Val loss")).findFirst().orElseThrow();
            table.getSortOrder().setAll(List.of(column));
        });
        assertEquals(best.number(), (int) onFx(() -> table.getItems().get(0).number()));

        var before = document.project().training();
        int unitsBefore = document.project().graph().node("dense1").params().getInt("units");
        press(robot, "#sweepApply");
        assertEquals(best.values().get("training.learningRate"), document.project().training().learningRate());
        assertEquals(best.values().get("dense1.units"), document.project().graph().node("dense1").params().getInt("units"));
        assertTrue(text(robot, "#sweepResult").contains("Edit → Undo takes them back"), text(robot, "#sweepResult"));
        robot.interact(document::undo);
        assertEquals(before, document.project().training(), "one undo takes every value back");
        assertEquals(unitsBefore, document.project().graph().node("dense1").params().getInt("units"));
    }

    @Test
    void stopKeepsTheFinishedTrialsAndRunningAgainGoesOnWhereItStopped(FxRobot robot) throws Exception {
        set(robot, "#sweepValues0", "0.001,0.002,0.003");
        set(robot, "#sweepEpochs", "60");
        press(robot, "#sweepRun");
        TableView<SweepTrial> table = table(robot);
        waitUntil("the first trial finishes", 180, () -> onFx(() -> table.getItems().stream().anyMatch(SweepTrial::done)));
        waitUntil("the time left is shown", 30, () -> onFx(() -> text(robot, "#sweepStatus").endsWith(" left")));
        assertTrue(text(robot, "#sweepStatus").matches("Trial \\d of 3 · \\d of 3 finished · .*"), text(robot, "#sweepStatus"));
        assertTrue(onFx(() -> document.lockedProperty().get()), "no Train and no edits beside the trials");
        press(robot, "#sweepStop");
        waitUntil("the sweep stops", 60, () -> onFx(() -> text(robot, "#sweepResult").startsWith("Stopped: ")));
        assertFalse(onFx(() -> document.lockedProperty().get()), "a stopped sweep gives the project back");
        List<SweepTrial> kept = onFx(() -> table.getItems().stream().filter(SweepTrial::done).toList());
        assertTrue(kept.size() >= 1 && kept.size() < 3, kept.toString());
        assertTrue(text(robot, "#sweepResult").startsWith("Stopped: " + kept.size() + " of 3 trials finished and kept."));

        press(robot, "#sweepRun");
        waitUntil("the resumed sweep ends", 300, () -> onFx(() -> text(robot, "#sweepResult").startsWith("Best: ")));
        List<SweepTrial> all = onFx(() -> List.copyOf(table.getItems()));
        assertEquals(3, all.size());
        assertTrue(all.stream().allMatch(SweepTrial::done));
        for (SweepTrial k : kept) {
            assertEquals(k.run(), all.get(k.number() - 1).run(), "a finished trial is not trained again");
        }
        // the stopped trial's cancelled run stays in the history beside the three trials
        assertEquals(4, RunFolder.list(folder).size());
    }
}
