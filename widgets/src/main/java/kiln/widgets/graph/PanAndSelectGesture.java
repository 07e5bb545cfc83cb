package kiln.widgets.graph;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Rectangle;
import kiln.engine.model.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Dragging on the empty canvas: with the left button it clears the selection and pans (so does the middle
 * button); with Shift it draws a rubber band that adds the layers it touches to the selection.
 */
final class PanAndSelectGesture {

    private final GraphCanvas canvas;
    private Point2D pressScene;
    private boolean panning;
    private Rectangle rubberBand;
    private Set<String> rubberBase;

    PanAndSelectGesture(GraphCanvas canvas) {
        this.canvas = canvas;
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    }

    private void pressed(MouseEvent e) {
        canvas.requestFocus();
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && !e.isShiftDown())) {
            panning = true;
            if (e.getButton() == MouseButton.PRIMARY) {
                canvas.selection.clear();
                canvas.selectedEdges.clear();
            }
            canvas.setCursor(Cursor.CLOSED_HAND);
        } else if (e.getButton() == MouseButton.PRIMARY) {
            Point2D w = canvas.content.sceneToLocal(e.getSceneX(), e.getSceneY());
            rubberBand = new Rectangle(w.getX(), w.getY(), 0, 0);
            rubberBand.getStyleClass().add("rubber-band");
            rubberBand.setMouseTransparent(true);
            canvas.overlay.getChildren().add(rubberBand);
            rubberBase = new HashSet<>(canvas.selection);
        }
    }

    private void dragged(MouseEvent e) {
        if (panning) {
            canvas.panBy(e.getSceneX() - pressScene.getX(), e.getSceneY() - pressScene.getY());
            pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        } else if (rubberBand != null) {
            Point2D a = canvas.content.sceneToLocal(pressScene.getX(), pressScene.getY());
            Point2D b = canvas.content.sceneToLocal(e.getSceneX(), e.getSceneY());
            rubberBand.setX(Math.min(a.getX(), b.getX()));
            rubberBand.setY(Math.min(a.getY(), b.getY()));
            rubberBand.setWidth(Math.abs(a.getX() - b.getX()));
            rubberBand.setHeight(Math.abs(a.getY() - b.getY()));
            Bounds r = rubberBand.getBoundsInParent();
            List<String> picked = new ArrayList<>(rubberBase);
            for (Node n : canvas.graph.nodes()) {
                NodeView v = canvas.nodeViews.get(n.name());
                if (r.intersects(v.getBoundsInParent()) && !picked.contains(n.name())) picked.add(n.name());
            }
            if (!picked.equals(canvas.selection)) canvas.selection.setAll(picked);
        }
    }

    private void released(MouseEvent e) {
        panning = false;
        canvas.setCursor(Cursor.DEFAULT);
        if (rubberBand != null) {
            canvas.overlay.getChildren().remove(rubberBand);
            rubberBand = null;
        }
    }
}
