package kiln.widgets.graph;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.CubicCurve;
import kiln.engine.edit.GraphEdits;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dragging a connection from a layer's output port: a curve follows the mouse, every input port shows whether
 * it accepts the connection, and the release connects (or says in plain words why not).
 */
final class ConnectGesture {

    private final GraphCanvas canvas;
    private String connectFrom;
    private CubicCurve connectCurve;

    ConnectGesture(GraphCanvas canvas) {
        this.canvas = canvas;
    }

    /** Lets connections be dragged from this layer's output port. */
    void attach(NodeView v) {
        if (v.output == null) return;
        v.output.setOnMousePressed(e -> pressed(v, e));
        v.output.setOnMouseDragged(this::dragged);
        v.output.setOnMouseReleased(this::released);
    }

    private void pressed(NodeView v, MouseEvent e) {
        e.consume();
        if (e.getButton() != MouseButton.PRIMARY || !canvas.editable()) return;
        canvas.requestFocus();
        connectFrom = v.node.name();
        connectCurve = new CubicCurve();
        connectCurve.getStyleClass().add("edge-dragging");
        connectCurve.setFill(null);
        connectCurve.setMouseTransparent(true);
        canvas.overlay.getChildren().add(connectCurve);
        // mark every input port as accepting or refusing this connection
        for (NodeView t : canvas.nodeViews.values()) {
            for (int i = 0; i < t.inputs.size(); i++) {
                boolean ok = GraphEdits.connectProblem(canvas.graph, connectFrom, t.node.name(), i).isEmpty();
                t.inputs.get(i).getStyleClass().add(ok ? "port-accepts" : "port-refuses");
            }
        }
        dragged(e);
    }

    private void dragged(MouseEvent e) {
        e.consume();
        if (connectFrom == null) return;
        Point2D start = canvas.nodeViews.get(connectFrom).outputPoint();
        Point2D end = canvas.content.sceneToLocal(e.getSceneX(), e.getSceneY());
        double dx = Math.max(40, Math.abs(end.getX() - start.getX()) / 2);
        connectCurve.setStartX(start.getX());
        connectCurve.setStartY(start.getY());
        connectCurve.setControlX1(start.getX() + dx);
        connectCurve.setControlY1(start.getY());
        connectCurve.setControlX2(end.getX() - dx);
        connectCurve.setControlY2(end.getY());
        connectCurve.setEndX(end.getX());
        connectCurve.setEndY(end.getY());
        Optional<Target> target = targetAt(end);
        connectCurve.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("refused"),
                target.isPresent() && target.get().problem().isPresent());
        target.flatMap(Target::problem).ifPresentOrElse(canvas::note, canvas::clearNote);
    }

    private void released(MouseEvent e) {
        e.consume();
        if (connectFrom == null) return;
        String from = connectFrom;
        Optional<Target> target = targetAt(canvas.content.sceneToLocal(e.getSceneX(), e.getSceneY()));
        end();
        if (target.isEmpty()) return;
        Target t = target.get();
        if (t.problem().isPresent()) {
            canvas.note("Not connected: " + t.problem().get());
        } else {
            canvas.run(() -> GraphEdits.connect(canvas.graph, from, t.node(), t.port()));
        }
    }

    private void end() {
        canvas.overlay.getChildren().remove(connectCurve);
        connectCurve = null;
        connectFrom = null;
        for (NodeView t : canvas.nodeViews.values()) {
            t.inputs.forEach(c -> c.getStyleClass().removeAll("port-accepts", "port-refuses"));
        }
    }

    private record Target(String node, int port, Optional<String> problem) { }

    /**
     * The input a connection dropped at this world point goes to: the nearest input port when the point is
     * close to one, else the first free input of the layer under the point.
     */
    private Optional<Target> targetAt(Point2D world) {
        // an input port near the point wins, even under another layer
        NodeView bestView = null;
        int bestPort = -1;
        double best = 14;
        for (NodeView v : canvas.nodeViews.values()) {
            for (int i = 0; i < v.inputs.size(); i++) {
                double d = world.distance(v.inputPoint(i));
                if (d <= best) {
                    best = d;
                    bestView = v;
                    bestPort = i;
                }
            }
        }
        if (bestView != null) {
            String name = bestView.node.name();
            return Optional.of(new Target(name, bestPort, GraphEdits.connectProblem(canvas.graph, connectFrom, name, bestPort)));
        }
        // else the topmost layer under the point, at its first free input
        List<javafx.scene.Node> layers = canvas.nodeLayer.getChildren();
        for (int i = layers.size() - 1; i >= 0; i--) {
            NodeView v = (NodeView) layers.get(i);
            double x = v.getLayoutX();
            double y = v.getLayoutY();
            if (world.getX() < x || world.getX() > x + NodeView.WIDTH || world.getY() < y
                    || world.getY() > y + NodeView.HEIGHT) continue;
            String name = v.node.name();
            int port = v.inputs.isEmpty() ? 0 : firstFreePort(v);
            return Optional.of(new Target(name, port, GraphEdits.connectProblem(canvas.graph, connectFrom, name, port)));
        }
        return Optional.empty();
    }

    private int firstFreePort(NodeView v) {
        Set<Integer> used = new HashSet<>();
        canvas.graph.inputsOf(v.node.name()).forEach(e -> used.add(e.toPort()));
        for (int i = 0; i < v.inputs.size(); i++) if (!used.contains(i)) return i;
        return 0;
    }
}
