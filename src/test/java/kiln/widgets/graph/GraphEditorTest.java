package kiln.widgets.graph;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.Shape;
import javafx.scene.text.Text;
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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the editor as a student does: palette drags, port drags, the fix button, the inspector, undo; and
 * checks what the canvas draws: room for an inserted layer, connections that wrap between rows.
 */
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

    private void chain(FxRobot robot, double pitch) {
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "input", 40 + pitch, 80));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("output"), "dense_1", 40 + 2 * pitch, 80));
            editor.canvas().zoomToFit();
        });
    }

    @Test
    void theOutputLayerEndsTheNetworkAndHasNoOutputPort(FxRobot robot) {
        chain(robot, GraphCanvas.NODE_WIDTH + 90);
        assertNull(view(robot, "output_1").output, "nothing can follow the Output layer");
        assertNotNull(view(robot, "dense_1").output);
    }

    private static boolean overlap(kiln.engine.model.Node a, kiln.engine.model.Node b) {
        return Math.abs(a.x() - b.x()) < GraphCanvas.NODE_WIDTH && Math.abs(a.y() - b.y()) < GraphCanvas.NODE_HEIGHT;
    }

    @Test
    void anInsertedLayerGetsRoomOfItsOwnInOneUndoableStep(FxRobot robot) {
        // Input → Dense → Output side by side, as the auto-layout spaces them: no room for a fourth box between
        chain(robot, GraphCanvas.NODE_WIDTH + 90);
        ModelGraph before = graph.copy();
        robot.clickOn(view(robot, "dense_1"));
        javafx.scene.control.Button fix = robot.lookup("#inspector-fix").queryAs(javafx.scene.control.Button.class);
        // the real name, underscore included (a button would read "_1" as a keyboard mnemonic)
        assertEquals("Insert Flatten before dense_1", ((Text) fix.lookup(".text")).getText());
        robot.clickOn(fix);

        assertTrue(graph.find("flatten_1").isPresent());
        assertEquals("Insert Flatten before dense_1", stack.undoDescription().orElseThrow());
        var nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                assertFalse(overlap(nodes.get(i), nodes.get(j)), nodes.get(i).name() + " lies on " + nodes.get(j).name());
            }
        }
        for (Edge e : graph.edges()) {
            assertTrue(graph.node(e.to()).x() >= graph.node(e.from()).x() + GraphCanvas.NODE_WIDTH,
                    e + " runs left to right");
        }
        robot.interact(stack::undo);
        assertTrue(before.sameContents(graph), "one undo takes the layer out and puts every layer back");
    }

    @Test
    void aRefusalSeenWhileDraggingIsClearedWhenTheConnectionIsMade(FxRobot robot) {
        List<String> messages = new ArrayList<>();
        robot.interact(() -> {
            editor.setOnMessage(messages::add);
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("flatten"), "input", 300, 80));
            stack.execute(kiln.engine.edit.GraphEdits.addNode(graph, LayerCatalog.get("output"), 560, 80));
            assertTrue(graph.find("output_1").isPresent(), graph.nodes().toString());
            editor.canvas().zoomToFit();
        });
        // on the way, the drag passes over the layer's own input port
        robot.drag(view(robot, "flatten_1").output, MouseButton.PRIMARY)
                .moveTo(view(robot, "flatten_1").inputs.get(0))
                .moveTo(view(robot, "output_1").inputs.get(0)).release(MouseButton.PRIMARY);
        assertEquals(List.of(new Edge("flatten_1", "output_1", 0)), graph.inputsOf("output_1"));
        assertTrue(messages.contains("a layer cannot feed itself"), messages.toString());
        assertEquals("", messages.get(messages.size() - 1), "the refusal no longer holds: " + messages);
        assertFalse(robot.lookup(".graph-message").queryAs(Label.class).isVisible());
    }

    @Test
    void aConnectionToTheNextRowRunsAlongTheGapBetweenTheRows(FxRobot robot) {
        // row 1: input, dense_1; row 2: dense_2 and, close beside it, dense_3 — dense_1 feeds the next row's start
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "input", 320, 80));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"), "dense_1", 40, 300));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("dense"),
                    "dense_2", 40 + GraphCanvas.NODE_WIDTH + 20, 300));
            editor.canvas().zoomToFit();
        });
        EdgeView wrap = robot.lookup(".graph-edge").queryAllAs(EdgeView.class).stream()
                .filter(v -> v.edge.equals(new Edge("dense_1", "dense_2", 0))).findFirst().orElseThrow();
        var route = wrap.line().getBoundsInParent();
        var from = view(robot, "dense_1");
        var to = view(robot, "dense_2");
        assertTrue(route.getMaxX() <= from.getLayoutX() + GraphCanvas.NODE_WIDTH + EdgeView.LEAD + 2, "no detour to the right: " + route);
        assertTrue(route.getMinX() >= to.getLayoutX() - EdgeView.LEAD - 2, "no detour to the left: " + route);
        // the route in graph coordinates (Shape.intersect works in scene coordinates, which pan and zoom move)
        javafx.scene.shape.Path line = new javafx.scene.shape.Path(wrap.line().getElements());
        line.setStrokeWidth(2);
        line.setStroke(javafx.scene.paint.Color.BLACK);
        for (String other : List.of("input", "dense_3")) {
            var v = view(robot, other);
            Shape crossing = Shape.intersect(line, new Rectangle(v.getLayoutX(), v.getLayoutY(),
                    GraphCanvas.NODE_WIDTH, GraphCanvas.NODE_HEIGHT));
            assertTrue(crossing.getBoundsInLocal().isEmpty(), "the connection crosses " + other);
        }
        // a layer close beside the next is joined straight across the gap, not by a detour
        EdgeView close = robot.lookup(".graph-edge").queryAllAs(EdgeView.class).stream()
                .filter(v -> v.edge.equals(new Edge("dense_2", "dense_3", 0))).findFirst().orElseThrow();
        var gap = close.line().getBoundsInParent();
        assertTrue(gap.getMinX() >= to.getLayoutX() + GraphCanvas.NODE_WIDTH - 2 && gap.getMaxX() <= view(robot, "dense_3").getLayoutX() + 2
                && gap.getHeight() < 4, "straight across the gap: " + gap);
    }

    @Test
    void copiedLayersPasteOnlyInTheirOwnEditorEachPasteFurtherFromTheOriginal(FxRobot robot) {
        robot.interact(() -> {
            editor.canvas().selectedNodes().setAll("input");
            editor.canvas().copySelection();
            editor.canvas().paste();
            editor.canvas().paste();
        });
        assertEquals(3, graph.nodes().size(), "two pastes of one layer");
        List<Double> xs = graph.nodes().stream().map(n -> n.x()).sorted().toList();
        assertEquals(List.of(40.0, 80.0, 120.0), xs, "each paste lands further off, not on the one before");

        ModelGraph other = new ModelGraph();
        robot.interact(() -> new GraphEditor(other, kiln.engine.edit.Command::execute, new SameThreadTaskExecutor())
                .canvas().paste());
        assertTrue(other.nodes().isEmpty(), "another editor (another project) has its own clipboard");
    }

    @Test
    void aLongNameKeepsTheHeaderAndTheSummaryHeadingsShowWholeBesideTheWeightsColumn(FxRobot robot) {
        robot.interact(() -> {
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("conv2d"), "input", 280, 80));
            kiln.engine.model.Node conv = graph.node("conv2d_1");
            graph.replace(new kiln.engine.model.Node(conv.name(), conv.typeId(), conv.params(), conv.x(), conv.y(),
                    conv.training(), "../mnist-cnn:run-1"));
            stack.execute(kiln.engine.edit.GraphEdits.appendAfter(graph, LayerCatalog.get("global_avg_pool"), "conv2d_1", 520, 80));
            editor.summaryVisibleProperty().set(true);
            editor.refresh();
        });
        WaitForAsyncUtils.waitForFxEvents();
        String pool = graph.outputsOf("conv2d_1").get(0).to();
        assertFalse(typeLabel(robot, pool).isVisible(), "'" + pool + "' and 'GlobalAvgPool' do not fit side by side");
        assertTrue(typeLabel(robot, "conv2d_1").isVisible(), "a short name leaves room for the type");
        SummaryTable summary = robot.lookup((javafx.scene.Node n) -> n instanceof SummaryTable).queryAs(SummaryTable.class);
        assertTrue(summary.table().getColumns().stream().anyMatch(c -> c.getText().equals("Weights")), "a pre-trained layer adds Weights");
        assertEquals(List.of(), kiln.widgets.TextFits.cutShort(summary.table()), "every heading whole");
    }

    private static Label typeLabel(FxRobot robot, String node) {
        return robot.lookup("#node-" + node).lookup(".node-type").queryAs(Label.class);
    }
}
