package kiln.widgets.graph;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Params;
import kiln.engine.edit.CommandStack;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the editor as a student does: palette drags, port drags, the fix button, the inspector, undo. */
@ExtendWith(ApplicationExtension.class)
class GraphEditorTest {

    private final ModelGraph graph = new ModelGraph();
    private final CommandStack stack = new CommandStack();
    private GraphEditor editor;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        graph.add("input", LayerCatalog.get("input"), Params.defaults(LayerCatalog.get("input")), 40, 80);
        editor = new GraphEditor(graph, stack::execute, new SameThreadTaskExecutor());
        stack.addListener(() -> editor.refresh());
        editor.summaryVisibleProperty().set(false);
        stage.setScene(new Scene(editor, 1100, 640));
        stage.show();
    }

    private NodeView view(FxRobot robot, String name) {
        return robot.lookup("#node-" + name).queryAs(NodeView.class);
    }

    @Test
    void dragDenseInConnectSeeTheErrorFixItAndUndo(FxRobot robot) {
        robot.drag("#palette-dense", MouseButton.PRIMARY).moveTo(editor.canvas()).moveBy(150, 0).release(MouseButton.PRIMARY);
        assertTrue(graph.find("dense_1").isPresent(), "Dense dropped onto the canvas");
        assertEquals("Add Dense dense_1", stack.undoDescription().orElseThrow());

        robot.drag(view(robot, "input").output, MouseButton.PRIMARY)
                .moveTo(view(robot, "dense_1").inputs.get(0)).release(MouseButton.PRIMARY);
        assertEquals(List.of(new Edge("input", "dense_1", 0)), graph.inputsOf("dense_1"));

        // an image into Dense: the node turns red and offers to insert Flatten
        NodeView dense = view(robot, "dense_1");
        assertTrue(dense.getStyleClass().contains("error"));
        assertTrue(dense.fixButton.getText().contains("Flatten"), dense.fixButton.getText());
        robot.clickOn(dense.fixButton);
        assertTrue(graph.find("flatten_1").isPresent());
        assertFalse(view(robot, "dense_1").getStyleClass().contains("error"));
        // the edge into Dense now carries the flattened shape
        assertTrue(robot.lookup(".edge-label").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.isVisible() && l.getText().equals("784")), "shape label 784 on the edge");

        robot.clickOn(view(robot, "flatten_1"));
        robot.type(KeyCode.DELETE);
        assertTrue(graph.find("flatten_1").isEmpty());
        assertTrue(graph.inputsOf("dense_1").isEmpty(), "its edges went with it");
        robot.interact(stack::undo);
        assertTrue(graph.find("flatten_1").isPresent());
        assertEquals(List.of(new Edge("flatten_1", "dense_1", 0)), graph.inputsOf("dense_1"));
    }

    @Test
    void aConnectionThatWouldMakeACycleIsRefusedWithTheReason(FxRobot robot) {
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "input", 280, 80));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "dense_1", 520, 80));
        });
        robot.interact(() -> editor.canvas().zoomToFit());
        int before = graph.edges().size();
        robot.drag(view(robot, "dense_2").output, MouseButton.PRIMARY)
                .moveTo(view(robot, "dense_1").inputs.get(0)).release(MouseButton.PRIMARY);
        assertEquals(before, graph.edges().size());
        Label message = robot.lookup(".graph-message").queryAs(Label.class);
        assertTrue(message.isVisible() && message.getText().contains("cycle"), message.getText());
    }

    @Test
    void inspectorAppliesValidValuesAndRefusesOthersWithTheReason(FxRobot robot) {
        robot.interact(() -> stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("conv2d"), "input", 280, 80)));
        robot.clickOn(view(robot, "conv2d_1"));
        Spinner<?> filters = robot.lookup("#param-filters").queryAs(Spinner.class);
        robot.doubleClickOn(filters.getEditor()).write("16").type(KeyCode.ENTER);
        assertEquals(16, graph.node("conv2d_1").params().getInt("filters"));
        assertEquals("Set conv2d_1 filters to 16", stack.undoDescription().orElseThrow());

        robot.doubleClickOn(filters.getEditor()).write("0").type(KeyCode.ENTER);
        assertEquals(16, graph.node("conv2d_1").params().getInt("filters"), "a refused value is not applied");
        String refusal = editor.inspector().refusalText();
        assertTrue(refusal.contains("Filters") && refusal.contains("from 1"), refusal);
        assertEquals("16", filters.getEditor().getText(), "the field shows the layer's value again");

        robot.clickOn("#inspector-name").eraseText(20).write("features").type(KeyCode.ENTER);
        assertTrue(graph.find("features").isPresent());
        assertEquals(List.of("features"), editor.canvas().selectedNodes());
    }

    @Test
    void doubleClickAppendsAfterTheSelectionAndRubberBandSelects(FxRobot robot) {
        robot.clickOn(view(robot, "input"));
        robot.doubleClickOn("#palette-flatten");
        assertEquals(List.of(new Edge("input", "flatten_1", 0)), graph.inputsOf("flatten_1"));
        assertEquals(List.of("flatten_1"), editor.canvas().selectedNodes(), "the new layer is selected");
        robot.doubleClickOn("#palette-dense");
        assertEquals(List.of(new Edge("flatten_1", "dense_1", 0)), graph.inputsOf("dense_1"));

        // shift-drag on empty space selects by rectangle
        robot.interact(() -> editor.canvas().zoomToFit());
        WaitForAsyncUtils.waitForFxEvents();
        var bounds = editor.canvas().localToScreen(editor.canvas().getBoundsInLocal());
        robot.press(KeyCode.SHIFT);
        robot.drag(bounds.getMinX() + 5, bounds.getMinY() + 5, MouseButton.PRIMARY)
                .moveTo(new javafx.geometry.Point2D(bounds.getMaxX() - 5, bounds.getMaxY() - 5)).release(MouseButton.PRIMARY);
        robot.release(KeyCode.SHIFT);
        assertEquals(3, editor.canvas().selectedNodes().size(), editor.canvas().selectedNodes().toString());

        // move the selection: one undoable step
        robot.drag(view(robot, "dense_1"), MouseButton.PRIMARY).moveBy(0, 60).release(MouseButton.PRIMARY);
        assertEquals("Move 3 layers", stack.undoDescription().orElseThrow());

        // duplicate keeps the inner connections
        robot.clickOn(view(robot, "dense_1")).press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL);
        assertTrue(graph.find("dense_2").isPresent());
    }

    @Test
    void readOnlyWhileTrainingShowsABannerAndRefusesEdits(FxRobot robot) {
        robot.interact(() -> editor.readOnlyProperty().set(true));
        assertTrue(robot.lookup(".graph-banner").queryAs(Label.class).isVisible());
        robot.drag("#palette-dense", MouseButton.PRIMARY).moveTo(editor.canvas()).release(MouseButton.PRIMARY);
        assertEquals(1, graph.nodes().size());
        robot.clickOn(view(robot, "input")).type(KeyCode.DELETE);
        assertTrue(graph.find("input").isPresent());
        assertTrue(robot.lookup("#inspector-name").queryAs(javafx.scene.control.TextField.class).isDisabled());
    }

    @Test
    void autoLayoutIsOneUndoableStep(FxRobot robot) {
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("flatten"), "input", 0, 0));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "flatten_1", 0, 0));
        });
        ModelGraph before = graph.copy();
        robot.interact(() -> editor.autoLayout(kiln.engine.layout.AutoLayout.Orientation.TOP_TO_BOTTOM));
        assertEquals("Auto-layout", stack.undoDescription().orElseThrow());
        assertTrue(graph.node("dense_1").y() > graph.node("flatten_1").y(), "top to bottom");
        assertTrue(graph.node("flatten_1").y() > graph.node("input").y());
        robot.interact(stack::undo);
        assertTrue(before.sameContents(graph), "one undo puts every layer back");
    }

    @Test
    void aMergeOffersOneMoreInputPortThanIsConnected(FxRobot robot) {
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("flatten"), "input", 260, 80));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "flatten_1", 480, 0));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "flatten_1", 480, 160));
            stack.execute(kiln.engine.edit.GraphEdits.addNode(graph, LayerCatalog.get("add"), 720, 80));
            editor.canvas().zoomToFit();
        });
        assertEquals(2, view(robot, "add_1").inputs.size(), "Add needs two inputs");
        robot.drag(view(robot, "dense_1").output, MouseButton.PRIMARY)
                .moveTo(view(robot, "add_1").inputs.get(0)).release(MouseButton.PRIMARY);
        robot.drag(view(robot, "dense_2").output, MouseButton.PRIMARY)
                .moveTo(view(robot, "add_1").inputs.get(1)).release(MouseButton.PRIMARY);
        assertEquals(List.of(new Edge("dense_1", "add_1", 0), new Edge("dense_2", "add_1", 1)), graph.inputsOf("add_1"));
        assertEquals(3, view(robot, "add_1").inputs.size(), "a free port for a third branch");
        assertTrue(editor.canvas().analysis().get("add_1").ok(), editor.canvas().analysis().get("add_1").toString());
    }
}
