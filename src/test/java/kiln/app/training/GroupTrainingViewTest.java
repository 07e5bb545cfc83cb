package kiln.app.training;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.edit.ValueChange;
import kiln.engine.eval.SeedSummary;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.widgets.TextFits;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import static kiln.app.FxWaits.onFx;
import static kiln.app.FxWaits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repeat with N seeds and Cross-validate in the Training tab, on a copy of the tabular sample with a small slice:
 * the runs land in the history with their group, and the group's result beside the runs is the spread of the
 * runs' records.
 */
@ExtendWith(ApplicationExtension.class)
class GroupTrainingViewTest {

    private Path folder;
    private ProjectDocument document;
    private FxTaskExecutor executor;
    private TrainingView view;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        folder = TrainingViewTest.copyOfSample("tabular-binary");
        document = new ProjectDocument(ProjectIO.load(folder), folder);
        executor = new FxTaskExecutor(2);
        view = new TrainingView(new ViewContext(document, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1280, 800));
        stage.show();
    }

    @AfterEach
    void cleanUp() throws Exception {
        TrainingViewTest.closeAndDelete(view, executor, folder);
    }

    private void settings(FxRobot robot, int limit, UnaryOperator<TrainingSettings> change) {
        robot.interact(() -> {
            view.setLimitTrain(limit);
            var p = document.project();
            document.execute(new ValueChange<>("Change settings", p::training, p::setTraining, change.apply(p.training())));
        });
    }

    private String text(FxRobot robot, String id) throws Exception {
        Label l = robot.lookup(id).queryAs(Label.class);
        return onFx(l::getText);
    }

    private List<RunRecord> records() throws Exception {
        List<RunRecord> out = new ArrayList<>();
        for (RunFolder f : RunFolder.list(folder)) out.add(f.readRecord());
        return out;
    }

    private void waitForEndAndListing(FxRobot robot, int runs) throws Exception {
        waitUntil("the group ends", 300, () -> view.stateProperty().get().isEnd());
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("every run is listed as ended", 30, () -> onFx(() -> table.getItems().size() == runs
                && table.getItems().stream().noneMatch(r -> r.record().status().equals("running"))));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void assertEveryLabelFits() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), onFx(() -> TextFits.cutShort((Parent) view.node())), "every label shows whole");
    }

    @Test
    void aRepeatOfThreeSeedsShowsTheSpreadOfTheRunsTestAccuracies(FxRobot robot) throws Exception {
        settings(robot, 200, s -> s.withEpochs(2).withSeed(11));
        robot.interact(() -> view.startRepeat(3));
        waitForEndAndListing(robot, 3);
        assertEquals(RunState.FINISHED, view.stateProperty().get());

        List<RunRecord> runs = records();
        assertEquals(List.of(11L, 12L, 13L), runs.stream().map(r -> r.settings().seed()).toList());
        String group = runs.get(0).group();
        assertTrue(group.startsWith("repeat-"), group);
        assertTrue(runs.stream().allMatch(r -> group.equals(r.group()) && r.status().equals("completed")
                && r.limitTrain() == 200 && r.epochsCompleted() == 2));
        assertEquals(11L, document.project().training().seed(), "the project keeps its own seed");
        SeedSummary expected = SeedSummary.of(runs.stream().map(RunRecord::testAccuracy).toList());

        assertEquals("Repeat, 3 seeds (" + group + ")", text(robot, "#groupTitle"));
        for (int i = 1; i <= 3; i++) {
            assertEquals("seed " + (10 + i), text(robot, "#groupPlace-" + i));
            assertEquals("run-" + i, text(robot, "#groupRun-" + i));
            assertEquals(String.format(Locale.ROOT, "%.4f", runs.get(i - 1).testAccuracy()), text(robot, "#groupValue-" + i));
        }
        assertEquals("test accuracy: " + expected.meanAndStd(), text(robot, "#groupMean"));
        assertEquals(String.format(Locale.ROOT, "95 %% interval %.4f–%.4f", expected.low(), expected.high()),
                text(robot, "#groupInterval"));
        assertTrue(text(robot, "#groupNote").startsWith("Mean ± sample std over 3 seeds. The runs differ only in their seed"));
        String message = text(robot, "#trainingMessage");
        assertTrue(message.contains("test accuracy " + expected.describe("seeds")), message);
        // Each run starts its own batch curve: only the last run's 2 epochs of 7 batches (200 samples, 32 a batch).
        kiln.widgets.charts.CurveChart batches = robot.lookup("#batchChart").queryAs(kiln.widgets.charts.CurveChart.class);
        int points = onFx(() -> batches.curves().get("raw").size());
        assertTrue(points > 0 && points <= 14, points + " batch points");
        assertEveryLabelFits();
    }

    @Test
    void aThreeFoldCrossValidationShowsThreeFoldRowsAndTheirSpread(FxRobot robot) throws Exception {
        settings(robot, 0, s -> s.withEpochs(2));
        robot.interact(() -> view.startCrossValidation(3));
        waitForEndAndListing(robot, 3);
        assertEquals(RunState.FINISHED, view.stateProperty().get());

        List<Double> lastValidation = new ArrayList<>();
        List<RunFolder> folders = RunFolder.list(folder);
        for (RunFolder f : folders) {
            RunRecord r = f.readRecord();
            assertTrue(r.group().startsWith("cv-"), r.group());
            assertEquals(folders.get(0).readRecord().group(), r.group());
            var metrics = f.readMetrics();
            assertEquals(2, metrics.size());
            lastValidation.add(metrics.get(1).validationAccuracy());
        }
        SeedSummary expected = SeedSummary.of(lastValidation);
        for (int i = 1; i <= 3; i++) {
            assertEquals("fold " + i, text(robot, "#groupPlace-" + i));
            assertEquals(String.format(Locale.ROOT, "%.4f", lastValidation.get(i - 1)), text(robot, "#groupValue-" + i));
        }
        assertTrue(robot.lookup("#groupPlace-4").tryQuery().isEmpty(), "three folds, three rows");
        assertEquals("validation accuracy: " + expected.meanAndStd(), text(robot, "#groupMean"));
        assertEquals(String.format(Locale.ROOT, "95 %% interval %.4f–%.4f", expected.low(), expected.high()),
                text(robot, "#groupInterval"));
        assertTrue(text(robot, "#groupNote").startsWith("Mean ± sample std over 3 folds. The test split is left out."));

        // Reopened, the result is worked out again from the runs' records.
        robot.interact(view::dispose);
        robot.interact(() -> {
            view = new TrainingView(new ViewContext(document, executor, stage));
            stage.getScene().setRoot((Parent) view.node());
        });
        waitUntil("the reopened view lists the group", 30, () -> onFx(() -> robot.lookup("#groupMean").tryQuery().isPresent()
                && robot.lookup("#groupMean").queryAs(Label.class).isVisible()));
        assertEquals("validation accuracy: " + expected.meanAndStd(), text(robot, "#groupMean"));
        assertEveryLabelFits();
    }

    @Test
    void foldsThatCannotBeMadeAreRefusedInPlainWordsBeforeAnyRun(FxRobot robot) throws Exception {
        settings(robot, 100, s -> s.withEpochs(2));
        robot.interact(() -> view.startCrossValidation(60));
        waitUntil("the refusal", 60, () -> view.stateProperty().get().isEnd());
        String message = text(robot, "#trainingMessage");
        assertTrue(message.matches("(?s)Training cannot start:\nCross-validation is not possible here: fold count 60 is "
                + "larger than the \\d+ samples of class '\\w+'; use at most \\d+ folds\\. Quick try is on, so only "
                + "the first 100 samples are dealt into folds; turn it off or raise it to use more\\."), message);
        assertFalse(Files.exists(folder.resolve("runs/run-1")), "no run was made");
        assertFalse(document.lockedProperty().get());
    }

    @Test
    void stopInTheSecondSeedKeepsTheFinishedRunAndCountsOnlyIt(FxRobot robot) throws Exception {
        // Long enough runs that the stop lands in the second one.
        settings(robot, 120, s -> s.withEpochs(400).withSeed(3));
        Label epoch = robot.lookup("#epochLabel").queryAs(Label.class);
        robot.interact(() -> epoch.textProperty().addListener((o, was, now) -> {
            if (now.startsWith("Seed 4 (2 of 3)")) view.stop();
        }));
        robot.interact(() -> view.startRepeat(3));
        waitForEndAndListing(robot, 2);
        assertEquals(RunState.CANCELLED, view.stateProperty().get());
        List<RunRecord> runs = records();
        assertEquals(List.of("completed", "cancelled"), runs.stream().map(RunRecord::status).toList());
        assertEquals(runs.get(0).group(), runs.get(1).group());
        assertFalse(Files.exists(folder.resolve("runs/run-3")), "no run starts after the stop");
        assertEquals(String.format(Locale.ROOT, "%.4f", runs.get(0).testAccuracy()), text(robot, "#groupValue-1"));
        assertEquals("cancelled", text(robot, "#groupValue-2"));
        assertEquals("test accuracy: 1 finished run; a spread needs at least 2", text(robot, "#groupMean"));
        assertTrue(text(robot, "#groupNote").startsWith("1 run that did not train to the end is not counted."));
        String message = text(robot, "#trainingMessage");
        assertTrue(message.contains("stopped: 1 of 3 runs finished and are kept; run-2 stopped part way"), message);
        assertEveryLabelFits();
    }

    @Test
    void comparingTwoRunsSaysWhetherTheirDifferenceIsWithinTheSeedNoise(FxRobot robot) throws Exception {
        settings(robot, 200, s -> s.withEpochs(2).withSeed(21));
        robot.interact(view::startTraining);
        waitForEndAndListing(robot, 1);
        settings(robot, 200, s -> s.withLearningRate(0.01));
        robot.interact(view::startTraining);
        waitForEndAndListing(robot, 2);
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().selectRange(0, 2));
        List<RunRecord> singles = records();
        String gap = String.format(Locale.ROOT, "%.2f percentage points",
                100 * Math.abs(singles.get(0).testAccuracy() - singles.get(1).testAccuracy()));
        String note = text(robot, "#noiseNote");
        assertEquals("Their test accuracies are " + gap + " apart. One run per setting cannot tell seed-to-seed noise "
                + "from a real difference; use Repeat with N seeds… on each setting to measure the noise.", note);
        assertEveryLabelFits();

        robot.interact(() -> table.getSelectionModel().clearSelection());
        robot.interact(() -> view.startRepeat(2));
        waitForEndAndListing(robot, 4);
        List<RunRecord> all = records();
        SeedSummary noise = SeedSummary.of(List.of(all.get(2).testAccuracy(), all.get(3).testAccuracy()));
        robot.interact(() -> table.getSelectionModel().selectRange(0, 2));
        note = text(robot, "#noiseNote");
        boolean within = noise.withinNoise(singles.get(0).testAccuracy(), singles.get(1).testAccuracy());
        assertTrue(note.startsWith("Their test accuracies are " + gap + " apart, " + (within ? "less" : "more")
                + " than twice the seed-to-seed spread measured by " + all.get(2).group()
                + String.format(Locale.ROOT, " (std %.2f points over 2 seeds)", 100 * noise.std())), note);
        assertTrue(note.contains(within ? "within the noise" : "likely a real difference"), note);

        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().selectRange(2, 4);
        });
        assertTrue(text(robot, "#noiseNote").startsWith("These two differ only in their seed (both in " + all.get(2).group() + ")"));
        assertEveryLabelFits();
    }
}
