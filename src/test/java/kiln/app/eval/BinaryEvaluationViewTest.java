package kiln.app.eval;

import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import kiln.engine.eval.BinaryCurves;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.widgets.TextFits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Evaluation tab on a yes/no run: the ROC and PR charts, the threshold slider moved by the mouse, Save threshold. */
@ExtendWith(ApplicationExtension.class)
class BinaryEvaluationViewTest {

    @TempDir
    static Path dir;
    static Path folder;

    private EvaluationView view;

    @BeforeAll
    static void trainBriefly() throws Exception {
        folder = Files.createDirectories(dir.resolve("tabular-binary"));
        Project p = TrainedProjects.copySample("tabular-binary", folder);
        TrainedProjects.train(p, folder, 0, 3);
    }

    @Start
    void start(Stage stage) throws Exception {
        view = EvaluationViewStage.show(stage, folder);
    }

    @Test
    void theSliderJudgesTheTestSplitAnewAndSaveKeepsTheThresholdWithTheRun(FxRobot robot) throws Exception {
        robot.clickOn("#evaluateButton");
        ThresholdPane pane = view.threshold();
        Evaluation atHalf = view.result();
        assertEquals(0.5, atHalf.threshold(), "no threshold saved yet: 0.5");
        BinaryCurves curves = BinaryCurves.of(atHalf);
        assertEquals(String.format(Locale.ROOT, "ROC curve, AUC %.4f", curves.rocAuc()), pane.rocChart().title());
        assertEquals(String.format(Locale.ROOT, "Precision–recall, AP %.4f", curves.averagePrecision()), pane.prChart().title());
        assertEquals(List.of("ROC (malignant as positive)", "chance", "threshold"), pane.rocChart().legendLabels());
        assertEquals(List.of(), TextFits.cutShort((Parent) view.node()), "every number and label shows whole");

        // drag the thumb to the left: a lower threshold calls more samples malignant
        robot.drag(".slider .thumb", MouseButton.PRIMARY).moveBy(-90, 0).release(MouseButton.PRIMARY);
        double t = pane.threshold();
        assertTrue(t < 0.45, "the thumb moved left: " + t);
        Evaluation expected = atHalf.withThreshold(t);
        assertArrayEquals(expected.confusion(), view.matrix().counts(), "the confusion matrix follows the slider");
        int[][] before = atHalf.confusion();
        assertTrue(expected.confusion()[0][1] + expected.confusion()[1][1] >= before[0][1] + before[1][1]);
        @SuppressWarnings("unchecked")
        TableView<TestResultsPane.MetricsRow> table = robot.lookup("#metricsTable").queryAs(TableView.class);
        TestResultsPane.MetricsRow malignant = table.getItems().get(1);
        assertEquals(expected.perClass().get(1).precision(), malignant.precision(), 1e-12);
        assertEquals(expected.perClass().get(1).recall(), malignant.recall(), 1e-12);
        assertEquals(expected.perClass().get(1).f1(), malignant.f1(), 1e-12);
        assertTrue(robot.lookup("#accuracyLabel").queryAs(Label.class).getText().startsWith(
                String.format(Locale.ROOT, "Accuracy %.2f%%", 100 * expected.accuracy())));
        assertEquals(String.format(Locale.ROOT, "%.2f", t), robot.lookup("#thresholdValue").queryAs(Label.class).getText());
        double[] point = curves.rocPointAt(t);
        var mark = pane.rocChart().curves().get("mark");
        assertEquals(point[0], mark.x(0), 1e-12);
        assertEquals(point[1], mark.y(0), 1e-12);

        RunFolder run = RunFolder.open(folder.resolve("runs/run-1"));
        assertFalse(Files.exists(run.thresholdFile()));
        robot.clickOn("#saveThresholdButton");
        assertEquals(t, run.readThreshold().orElseThrow().value(), 1e-12);
        assertEquals("malignant", run.readThreshold().orElseThrow().positiveClass());
        assertTrue(robot.lookup("#thresholdNote").queryAs(Label.class).getText().contains("(saved with run-1"));
        assertTrue(robot.lookup("#saveThresholdButton").query().isDisabled(), "nothing new to save");

        // evaluating again starts from the saved threshold
        robot.clickOn("#evaluateButton");
        assertEquals(t, view.result().threshold(), 1e-12);
        assertEquals(t, pane.threshold(), 1e-12);
        assertNotEquals(0.5, pane.slider().getValue());
    }
}
