package kiln.app;

import javafx.scene.control.CheckBox;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import kiln.app.transfer.StartFromDialog;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.model.ModelGraph;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.BeforeAll;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning in the editor, as a student does it: freeze and unfreeze from the layer menu and the inspector
 * (each one undo step), freeze everything before the head, and Start from… a trained run of another project.
 */
@ExtendWith(ApplicationExtension.class)
class FineTuningEditorTest {

    @TempDir
    static Path home;
    static Path source;
    private MainWindow window;
    private Path target;

    @BeforeAll
    static void trainSource() throws Exception {
        source = home.resolve("mlp");
        TrainedProjects.trainedSample("mnist-mlp", source, 200);
    }

    @Start
    void start(Stage stage) throws Exception {
        target = Files.createTempDirectory(home, "fine-tune");
        TrainedProjects.mlpWithDense2(target, 64);
        window = new MainWindow(stage, new SameThreadTaskExecutor(), new UserProjects(home));
        stage.setWidth(1240);
        stage.setHeight(780);
        stage.show();
        window.open(target);
    }

    private ModelGraph graph() {
        return window.document().project().graph();
    }

    private GraphCanvas canvas(FxRobot robot) {
        return robot.lookup(".graph-canvas").queryAs(GraphCanvas.class);
    }

    private void undo(FxRobot robot) {
        robot.interact(window::undo);
    }

    private void redo(FxRobot robot) {
        robot.interact(window::redo);
    }

    private void showWholeGraph(FxRobot robot) {
        robot.interact(() -> canvas(robot).zoomToFit());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Right-clicks the layer's box and chooses the item of its menu. */
    private void chooseInLayerMenu(FxRobot robot, String layer, String item) {
        robot.clickOn("#node-" + layer, MouseButton.SECONDARY);
        robot.clickOn(item);
    }

    @Test
    void freezeAndUnfreezeFromTheLayerMenuAreEachOneUndoStep(FxRobot robot) {
        showWholeGraph(robot);
        chooseInLayerMenu(robot, "dense1", "Freeze dense1");
        assertFalse(graph().node("dense1").trainable());
        assertEquals("Undo Freeze dense1", window.undoItem().getText());
        assertEquals(List.of("new", "frozen"), canvas(robot).marks("dense1"));
        assertEquals(List.of("new"), canvas(robot).marks("dense2"), "once a layer is frozen, every layer says where it starts");
        undo(robot);
        assertTrue(graph().node("dense1").trainable());
        assertEquals(List.of(), canvas(robot).marks("dense1"), "a plain network carries no marks");
        redo(robot);
        assertFalse(graph().node("dense1").trainable());

        // a group: both dense layers selected (as a rubber band leaves them), one step for both
        robot.interact(() -> canvas(robot).selectedNodes().setAll("dense1", "dense2"));
        chooseInLayerMenu(robot, "dense2", "Unfreeze 2 layers");
        assertTrue(graph().node("dense1").trainable() && graph().node("dense2").trainable());
        assertEquals("Undo Unfreeze 2 layers", window.undoItem().getText());
        robot.interact(() -> canvas(robot).selectedNodes().setAll("dense1", "dense2"));
        chooseInLayerMenu(robot, "dense2", "Freeze 2 layers");
        assertFalse(graph().node("dense1").trainable() || graph().node("dense2").trainable());
        undo(robot);
        assertTrue(graph().node("dense1").trainable() && graph().node("dense2").trainable());
        assertFalse(window.document().commands().undoDescription().orElse("").startsWith("Freeze"));
    }

    @Test
    void freezeEverythingBeforeTheHeadLeavesOnlyItTraining(FxRobot robot) {
        showWholeGraph(robot);
        chooseInLayerMenu(robot, "output", "Freeze Everything Before output");
        assertFalse(graph().node("dense1").trainable());
        assertFalse(graph().node("dense2").trainable());
        assertTrue(graph().node("output").trainable());
        assertEquals("Undo Freeze the layers before output", window.undoItem().getText());
        var totals = robot.lookup("#summary-totals").queryAs(javafx.scene.control.Label.class);
        long frozen = 784L * 256 + 256 + 256L * 64 + 64;
        assertTrue(totals.getText().contains(String.format(java.util.Locale.ROOT, "trainable %,d", 64L * 10 + 10)), totals.getText());
        assertTrue(totals.getText().contains(String.format(java.util.Locale.ROOT, "(frozen %,d)", frozen)), totals.getText());
        undo(robot);
        assertTrue(graph().nodes().stream().allMatch(n -> n.trainable()), "one undo thaws every layer it froze");
    }

    @Test
    void theInspectorFreezesAndSetsTheRateMultiplier(FxRobot robot) {
        showWholeGraph(robot);
        robot.clickOn("#node-dense2");
        CheckBox trains = robot.lookup("#inspector-trains").queryAs(CheckBox.class);
        assertTrue(trains.isSelected());
        robot.clickOn(trains);
        assertFalse(graph().node("dense2").trainable());
        assertEquals("Undo Freeze dense2", window.undoItem().getText());
        assertTrue(canvas(robot).marks("dense2").contains("frozen"));
        undo(robot);
        assertTrue(trains.isSelected(), "the inspector follows undo");

        TextField rate = robot.lookup("#inspector-rate").queryAs(TextField.class);
        robot.clickOn(rate);
        robot.interact(rate::selectAll);
        robot.write("0.1").type(KeyCode.ENTER);
        assertEquals(0.1, graph().node("dense2").training().rateMultiplier());
        assertEquals(List.of("lr ×0.1"), canvas(robot).marks("dense2"));
        robot.interact(rate::selectAll);
        robot.write("zero").type(KeyCode.ENTER);
        assertEquals(0.1, graph().node("dense2").training().rateMultiplier(), "a word is refused");
        assertTrue(window.document().commands().undoDescription().orElseThrow().contains("multiplier to 0.1"));
        undo(robot);
        assertEquals(1, graph().node("dense2").training().rateMultiplier());
    }

    @Test
    void startFromATrainedRunShowsEachLayerAndAppliesAsOneEdit(FxRobot robot) {
        StartFromDialog[] shown = new StartFromDialog[1];
        robot.interact(() -> shown[0] = window.startFrom());
        StartFromDialog d = shown[0];
        robot.interact(() -> d.chooseSource(source));
        robot.clickOn("#startFromKeepNetwork");
        assertEquals(List.of(
                "dense1 (Dense): loaded",
                "dense2 (Dense): skipped (shape differs: expected [64, 256] for dense2.weight, got [128, 256])",
                "output (Output): skipped (shape differs: expected [10, 64] for output.weight, got [10, 128])"),
                d.reportLines());
        assertNull(graph().node("dense1").weightsFrom(), "nothing changes before Start from It");
        robot.clickOn("#startFromApply");
        assertEquals("../mlp:run-1", graph().node("dense1").weightsFrom());
        assertNull(graph().node("dense2").weightsFrom());
        assertEquals("Undo Start from mlp, run-1", window.undoItem().getText());
        assertTrue(d.messageText().startsWith("Start from mlp, run-1: 1 layers are pre-trained."), d.messageText());
        robot.interact(() -> d.stage().close());
        assertEquals(List.of("pre-trained"), canvas(robot).marks("dense1"));
        assertEquals(List.of("new"), canvas(robot).marks("dense2"));
        undo(robot);
        assertNull(graph().node("dense1").weightsFrom());
        assertEquals(List.of(), canvas(robot).marks("dense1"));

        // taking its layers: the source's network comes in whole
        robot.interact(() -> shown[0] = window.startFrom());
        StartFromDialog again = shown[0];
        robot.interact(() -> again.chooseSource(source));
        assertTrue(again.reportLines().stream().allMatch(l -> l.contains(": loaded")), again.reportLines().toString());
        robot.clickOn("#startFromApply");
        assertEquals(128, graph().node("dense2").params().getInt("units"));
        assertEquals("../mlp:run-1", graph().node("dense2").weightsFrom());
        undo(robot);
        assertEquals(64, graph().node("dense2").params().getInt("units"), "one undo brings the own network back");
        robot.interact(() -> again.stage().close());
    }
}
