package kiln.app;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import kiln.engine.data.BundledData;
import kiln.engine.project.SampleCatalog;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.widgets.TextFits;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.images.ImageGrid;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static kiln.app.FxWaits.onFx;
import static kiln.app.FxWaits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole app as a student meets it, on real background threads: open the MNIST CNN sample, look at its
 * data, train one short epoch from the main window's Train button, evaluate the run, export it as ONNX. The
 * window has the smallest supported size, 1280×800, and every view is checked for text cut short.
 */
@ExtendWith(ApplicationExtension.class)
class StudentJourneyTest {

    @TempDir
    static Path home;
    @TempDir
    static Path exports;
    private MainWindow window;
    private FxTaskExecutor executor;

    @Start
    void start(Stage stage) {
        executor = new FxTaskExecutor(2);
        window = new MainWindow(stage, executor, new UserProjects(home));
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    private void selectTab(FxRobot robot, String title) {
        robot.clickOn(robot.lookup((Node n) -> n.getStyleClass().contains("tab")
                && n.lookup(".tab-label") instanceof Label l && l.getText().equals(title)).queryAs(Node.class));
        Tab selected = window.tabs().getSelectionModel().getSelectedItem();
        assertEquals(title, selected.getText());
    }

    private void setField(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).push(KeyCode.CONTROL, KeyCode.A).write(value).push(KeyCode.ENTER);
    }

    /** Labels and cells of the window cut short; the canvas's boxes shorten long texts on purpose (tooltips keep them). */
    private static void assertNothingCutShort(javafx.scene.Scene scene, String where) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cut = onFx(() -> TextFits.cutShort(scene.getRoot(), "graph-canvas"));
        assertEquals(List.of(), cut, where + ": every label and cell shows whole");
    }

    @Test
    void openSampleLookAtDataTrainEvaluateExport(FxRobot robot) throws Exception {
        SampleCatalog.Sample mnist = SampleCatalog.read(
                BundledData.sampleProjectsFolder().orElseThrow().resolve("mnist-cnn"));
        robot.interact(() -> window.openSample(mnist));
        waitUntil("the sample's copy opens", 30, () -> onFx(() -> window.document() != null));
        Path copy = home.resolve("Kiln").resolve("mnist-cnn");
        assertEquals(copy, window.document().folder(), "the student works on a copy in ~/Kiln");
        assertNothingCutShort(window.stage().getScene(), "Model tab");

        // Data: the gallery shows digits
        selectTab(robot, Views.DATA);
        ImageGrid gallery = robot.lookup(".data-view").lookup((Node n) -> n instanceof ImageGrid).queryAs(ImageGrid.class);
        waitUntil("the data gallery shows images", 30, () -> onFx(gallery::shownImageCount) > 0);
        assertNothingCutShort(window.stage().getScene(), "Data tab");

        // Training: a small slice, one epoch, started by the main window's Train button
        selectTab(robot, Views.TRAINING);
        setField(robot, "#epochs", "1");
        robot.clickOn("#limitTrain");
        setField(robot, "#limitCount", "1000");
        robot.clickOn("#train-button");
        assertTrue(window.document().lockedProperty().get(), "the project is locked while it trains");
        assertTrue(robot.lookup("#undo-button").queryButton().isDisabled(), "no undo while training");
        CurveChart loss = robot.lookup("#lossChart").queryAs(CurveChart.class);
        waitUntil("the epoch reaches the loss chart", 120, () -> onFx(() -> loss.curves().containsKey("run-1/train")
                && loss.curves().get("run-1/train").size() == 1));
        waitUntil("the run ends and unlocks the project", 60, () -> onFx(() -> !window.document().lockedProperty().get()));
        TableView<?> runs = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("the run is in the history", 30, () -> onFx(() -> runs.getItems().size() == 1));
        RunRecord record = RunFolder.list(copy).get(0).readRecord();
        assertEquals("completed", record.status());
        assertEquals(1000, record.limitTrain());
        assertNothingCutShort(window.stage().getScene(), "Training tab");

        // Evaluation: the run that just finished is offered; its confusion matrix appears
        selectTab(robot, Views.EVALUATION);
        // the runs folder is listed on the executor
        waitUntil("the finished run is listed", 10, () -> onFx(() ->
                "run-1".equals(robot.lookup("#runChoice").queryComboBox().getValue())));
        robot.clickOn("#evaluateButton");
        waitUntil("the evaluation is shown", 60, () -> onFx(() ->
                robot.lookup("#accuracyLabel").queryAs(Label.class).getText().startsWith("Accuracy ")));
        String accuracy = robot.lookup("#accuracyLabel").queryAs(Label.class).getText();
        assertTrue(accuracy.contains(" of 10000 test samples right"), accuracy);
        assertTrue(robot.lookup("#confusionMatrix").query().isVisible());
        assertNothingCutShort(window.stage().getScene(), "Evaluation tab");

        // File → Export…: ONNX to a chosen file
        Path onnx = exports.resolve("digits.onnx");
        robot.clickOn("File").clickOn("Export…");
        TextField path = robot.lookup("#exportPath").queryAs(TextField.class);
        assertNotNull(path);
        robot.interact(() -> path.setText(onnx.toString()));
        waitUntil("the dialog has listed the trained run", 10, () -> onFx(() -> !robot.lookup("#exportButton").query().isDisabled()));
        robot.clickOn("#exportButton");
        waitUntil("the export is written", 60, () -> onFx(() ->
                robot.lookup("#exportResult").queryAs(Label.class).getText().startsWith("Exported")));
        assertTrue(Files.size(onnx) > 10_000, "the ONNX file holds the network's weights");
        assertNothingCutShort(path.getScene(), "Export dialog");
        assertFalse(window.document().lockedProperty().get());
        Platform.runLater(() -> robot.lookup("#exportPath").queryAs(TextField.class).getScene().getWindow().hide());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
