package kiln.widgets.graph;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import kiln.engine.edit.GraphEdits;
import kiln.engine.edit.GraphEdits.Position;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pressing and dragging a layer: a click selects it (Shift or Ctrl adds to the selection), a drag moves every
 * selected layer together, and the release makes the move one undoable step, snapped to the grid.
 */
final class MoveGesture {

    private final GraphCanvas canvas;
    private Point2D pressScene;
    private Map<String, Point2D> dragStart;

    MoveGesture(GraphCanvas canvas) {
        this.canvas = canvas;
    }

    /** Lets the mouse move this layer's view. */
    void attach(NodeView v) {
        v.setOnMousePressed(e -> pressed(v, e));
        v.setOnMouseDragged(this::dragged);
        v.setOnMouseReleased(this::released);
        v.setOnMouseClicked(javafx.event.Event::consume);
    }

    private void pressed(NodeView v, MouseEvent e) {
        var selection = canvas.selection;
        if (e.getButton() == MouseButton.SECONDARY || e.isPopupTrigger()) {
            canvas.requestFocus();
            if (!selection.contains(v.node.name())) selection.setAll(v.node.name());
            canvas.showLayerMenu(v, e.getScreenX(), e.getScreenY());
            e.consume();
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) return;
        canvas.requestFocus();
        String name = v.node.name();
        canvas.selectedEdges.clear();
        if (e.isShiftDown() || e.isShortcutDown()) {
            if (!selection.remove(name)) selection.add(name);
        } else if (!selection.contains(name)) {
            selection.setAll(name);
        } else {
            // keep the group selected for a drag, and make this the layer the inspector shows
            selection.remove(name);
            selection.add(name);
        }
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        dragStart = new LinkedHashMap<>();
        for (String s : selection) {
            NodeView sv = canvas.nodeViews.get(s);
            if (sv != null) dragStart.put(s, new Point2D(sv.getLayoutX(), sv.getLayoutY()));
        }
        v.toFront();
        e.consume();
    }

    private void dragged(MouseEvent e) {
        e.consume();
        if (dragStart == null || !canvas.editable(false)) return;
        double dx = (e.getSceneX() - pressScene.getX()) / canvas.viewport.scale();
        double dy = (e.getSceneY() - pressScene.getY()) / canvas.viewport.scale();
        Set<String> moved = dragStart.keySet();
        dragStart.forEach((name, p) -> canvas.nodeViews.get(name).relocate(p.getX() + dx, p.getY() + dy));
        for (EdgeView ev : canvas.edgeViews.values()) {
            if (moved.contains(ev.edge.from()) || moved.contains(ev.edge.to())) canvas.placeEdge(ev);
        }
    }

    private void released(MouseEvent e) {
        e.consume();
        if (dragStart == null) return;
        Map<String, Position> target = new LinkedHashMap<>();
        dragStart.forEach((name, p) -> {
            NodeView v = canvas.nodeViews.get(name);
            if (v.getLayoutX() != p.getX() || v.getLayoutY() != p.getY()) {
                target.put(name, new Position(GraphCanvas.snap(v.getLayoutX()), GraphCanvas.snap(v.getLayoutY())));
            }
        });
        dragStart = null;
        if (!target.isEmpty() && canvas.editable()) {
            if (!canvas.run(() -> GraphEdits.moveNodes(canvas.graph, target))) canvas.refresh();
        }
    }
}
