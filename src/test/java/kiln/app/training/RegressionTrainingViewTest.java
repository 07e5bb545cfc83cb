package kiln.app.training;

import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training the diabetes sample in the Training tab: R² per epoch beside the loss, and the end message gives R². */
@ExtendWith(ApplicationExtension.class)
class RegressionTrainingViewTest {

    @TempDir
    Path folder;
    private FxTaskExecutor executor;
    private TrainingView view;

    @Start
    void start(Stage stage) throws Exception {
        SampleCopies.copy("diabetes-regression", folder);
        ProjectDocument document = new ProjectDocument(ProjectIO.load(folder), folder);
        executor = new FxTaskExecutor(2);
        view = new TrainingView(new ViewContext(document, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void cleanUp() {
        Platform.runLater(view::dispose);
        WaitForAsyncUtils.waitForFxEvents();
        executor.shutdown();
    }

    @Test
    void aRunThatPredictsANumberChartsR2InsteadOfAccuracy(FxRobot robot) throws Exception {
        robot.doubleClickOn("#epochs").push(KeyCode.CONTROL, KeyCode.A).write("4").push(KeyCode.ENTER);
        robot.clickOn("#trainButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !view.stateProperty().get().isActive()
                && robot.lookup("#trainingMessage").queryAs(Label.class).getText().contains("finished"));

        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("test R² "), message);
        assertFalse(message.contains("accuracy"), message);
        assertTrue(robot.lookup("#accuracyChart").tryQuery().isEmpty(), "accuracy does not apply to a number");
        CurveChart r2 = robot.lookup("#r2Chart").queryAs(CurveChart.class);
        int points = WaitForAsyncUtils.asyncFx(() -> r2.curves().get("run-1/val").size()).get(10, TimeUnit.SECONDS);
        assertEquals(4, points, "one validation R² per epoch");
        javafx.scene.control.TableView<?> runs = robot.lookup("#runsTable").queryAs(javafx.scene.control.TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> runs.getItems().size() == 1);
        javafx.scene.control.TableColumn<?, ?> test = runs.getColumns().stream()
                .filter(c -> c.getText().startsWith("Test ")).findFirst().orElseThrow();
        assertEquals("Test R²", test.getText());
        String cell = WaitForAsyncUtils.asyncFx(() -> String.valueOf(test.getCellData(0))).get(10, TimeUnit.SECONDS);
        assertTrue(cell.matches("-?\\d\\.\\d{4}"), "R² as a number, not a percentage: " + cell);
    }
}
