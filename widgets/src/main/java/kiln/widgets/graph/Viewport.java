package kiln.widgets.graph;

import javafx.geometry.Point2D;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;
import kiln.engine.model.Node;

import java.util.List;

/**
 * Which part of the graph the canvas shows: a pan and a zoom applied to its content, zooming about a point,
 * fitting the whole graph, or fitting it at a size where the text stays readable.
 */
final class Viewport {

    private static final double MIN_SCALE = 0.15;
    private static final double MAX_SCALE = 2.5;
    private static final double READABLE = 0.6;
    private static final double WIDTH = NodeView.WIDTH;
    private static final double HEIGHT = NodeView.HEIGHT;

    final Translate pan = new Translate();
    final Scale zoom = new Scale(1, 1, 0, 0);
    private final Runnable changed;

    /** {@code changed} runs after every change of pan or zoom. */
    Viewport(Runnable changed) {
        this.changed = changed;
    }

    double scale() {
        return zoom.getX();
    }

    double panX() {
        return pan.getX();
    }

    double panY() {
        return pan.getY();
    }

    /** Zooms by a factor keeping the view point (x, y) in place. */
    void zoomAt(double factor, double x, double y) {
        double s = clamp(zoom.getX() * factor, MIN_SCALE, MAX_SCALE);
        Point2D w = toWorld(x, y);
        zoom.setX(s);
        zoom.setY(s);
        pan.setX(x - w.getX() * s);
        pan.setY(y - w.getY() * s);
        changed.run();
    }

    void panBy(double dx, double dy) {
        pan.setX(pan.getX() + dx);
        pan.setY(pan.getY() + dy);
        changed.run();
    }

    /** Shows all these layers in a view of this size, at most at full size. */
    void fit(List<Node> nodes, double width, double height) {
        if (nodes.isEmpty() || width <= 0 || height <= 0) return;
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Node n : nodes) {
            minX = Math.min(minX, n.x());
            minY = Math.min(minY, n.y());
            maxX = Math.max(maxX, n.x() + WIDTH);
            maxY = Math.max(maxY, n.y() + HEIGHT);
        }
        double margin = 40;
        double s = clamp(Math.min((width - 2 * margin) / (maxX - minX), (height - 2 * margin) / (maxY - minY)),
                MIN_SCALE, 1.0);
        zoom.setX(s);
        zoom.setY(s);
        pan.setX((width - (maxX - minX) * s) / 2 - minX * s);
        pan.setY((height - (maxY - minY) * s) / 2 - minY * s);
        changed.run();
    }

    /**
     * Fits the layers, but never smaller than a size where the text can be read: a long network then starts at
     * its left (top) edge and the rest is a pan away.
     */
    void fitReadable(List<Node> nodes, double width, double height) {
        fit(nodes, width, height);
        if (nodes.isEmpty() || zoom.getX() >= READABLE) return;
        double minX = nodes.stream().mapToDouble(Node::x).min().orElse(0);
        double minY = nodes.stream().mapToDouble(Node::y).min().orElse(0);
        double maxY = nodes.stream().mapToDouble(Node::y).max().orElse(0) + HEIGHT;
        zoom.setX(READABLE);
        zoom.setY(READABLE);
        pan.setX(40 - minX * READABLE);
        double h = (maxY - minY) * READABLE;
        pan.setY(h < height ? (height - h) / 2 - minY * READABLE : 40 - minY * READABLE);
        changed.run();
    }

    /** The world point (graph coordinates) under a point of the view. */
    Point2D toWorld(double x, double y) {
        return new Point2D((x - pan.getX()) / zoom.getX(), (y - pan.getY()) / zoom.getY());
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
