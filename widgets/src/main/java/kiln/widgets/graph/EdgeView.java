package kiln.widgets.graph;

import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.QuadCurveTo;
import kiln.engine.model.Edge;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection from an output port to an input port, labelled with the tensor shape. Forwards it is one
 * smooth curve; to a layer that does not lie to the right (the next row of a wrapped layout, or the layer
 * below in a top-to-bottom one) it leaves to the right, runs along the gap between the two layers and
 * enters from the left, like a line of text wrapping, instead of cutting diagonally across the canvas.
 */
final class EdgeView extends Group {

    /** How far a wrapped connection runs straight out of a port before it turns. */
    static final double LEAD = 24;
    private static final double CORNER = 10;

    final Edge edge;
    private final Path curve = new Path();
    private final Path hit = new Path();
    final Label label = new Label();

    EdgeView(Edge edge, String shapeText) {
        this.edge = edge;
        getStyleClass().add("graph-edge");
        curve.getStyleClass().add("edge-line");
        curve.setFill(null);
        curve.setMouseTransparent(true);
        // a wide transparent twin makes the thin line easy to click
        hit.getStyleClass().add("edge-hit");
        hit.setFill(null);
        hit.setStroke(Color.TRANSPARENT);
        hit.setStrokeWidth(12);
        label.getStyleClass().add("edge-label");
        label.setCache(true);
        // managed, so the group sizes it once its style is known; centred on its place by translation
        label.translateXProperty().bind(label.widthProperty().divide(-2));
        label.translateYProperty().bind(label.heightProperty().divide(-2));
        setShape(shapeText);
        javafx.scene.control.Tooltip.install(hit, tip);
        getChildren().addAll(hit, curve, label);
    }

    private boolean hasShape;
    private boolean fits = true;
    private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();

    void setShape(String shapeText) {
        label.setText(shapeText);
        hasShape = shapeText != null && !shapeText.isEmpty();
        tip.setText(edge.from() + " → " + edge.to() + (hasShape ? ": " + shapeText : ""));
        label.setVisible(hasShape && fits);
    }

    /**
     * Places the connection between two ports (world points) of the two layers' boxes; the label sits at its
     * middle.
     */
    void place(Point2D from, Point2D to, Bounds fromBox, Bounds toBox) {
        List<PathElement> route = new ArrayList<>();
        route.add(new MoveTo(from.getX(), from.getY()));
        double labelX;
        double labelY;
        double room;
        if (to.getX() >= from.getX()) {
            double dx = Math.max(40, (to.getX() - from.getX()) / 2);
            route.add(new CubicCurveTo(from.getX() + dx, from.getY(), to.getX() - dx, to.getY(), to.getX(), to.getY()));
            labelX = (from.getX() + to.getX()) / 2; // the curve's point at t = 0.5
            labelY = (from.getY() + to.getY()) / 2;
            room = from.distance(to);
        } else {
            double lane = lane(fromBox, toBox);
            double out = from.getX() + LEAD;
            double in = to.getX() - LEAD;
            corner(route, out, from.getY(), out, lane);
            corner(route, out, lane, in, lane);
            corner(route, in, lane, in, to.getY());
            corner(route, in, to.getY(), to.getX(), to.getY());
            route.add(new LineTo(to.getX(), to.getY()));
            labelX = (out + in) / 2;
            labelY = lane;
            room = Math.abs(out - in);
        }
        curve.getElements().setAll(route);
        hit.getElements().setAll(route);
        label.setLayoutX(labelX);
        label.setLayoutY(labelY);
        // a label wider than the gap between two close layers would cover their ports (6 px round, on both
        // ends); the tooltip keeps it
        double width = label.getWidth() > 0 ? label.getWidth() : 7 * label.getText().length();
        fits = room > width + 16;
        label.setVisible(hasShape && fits);
    }

    /** The height where a wrapped connection runs: in the gap between the boxes, or below both when they overlap. */
    private static double lane(Bounds fromBox, Bounds toBox) {
        if (toBox.getMinY() >= fromBox.getMaxY()) return (fromBox.getMaxY() + toBox.getMinY()) / 2;
        if (toBox.getMaxY() <= fromBox.getMinY()) return (toBox.getMaxY() + fromBox.getMinY()) / 2;
        return Math.max(fromBox.getMaxY(), toBox.getMaxY()) + LEAD;
    }

    /**
     * A straight run to just before the corner at (x, y), then a rounded turn towards (nextX, nextY); the
     * path's current point is on the line leading into the corner.
     */
    private static void corner(List<PathElement> route, double x, double y, double nextX, double nextY) {
        Point2D at = current(route);
        double inLength = Math.abs(x - at.getX()) + Math.abs(y - at.getY());
        double outLength = Math.abs(nextX - x) + Math.abs(nextY - y);
        double r = Math.min(CORNER, Math.min(inLength, outLength) / 2);
        double ux = Math.signum(x - at.getX());
        double uy = Math.signum(y - at.getY());
        double vx = Math.signum(nextX - x);
        double vy = Math.signum(nextY - y);
        route.add(new LineTo(x - ux * r, y - uy * r));
        route.add(new QuadCurveTo(x, y, x + vx * r, y + vy * r));
    }

    private static Point2D current(List<PathElement> route) {
        PathElement last = route.get(route.size() - 1);
        if (last instanceof MoveTo m) return new Point2D(m.getX(), m.getY());
        if (last instanceof LineTo l) return new Point2D(l.getX(), l.getY());
        QuadCurveTo q = (QuadCurveTo) last;
        return new Point2D(q.getX(), q.getY());
    }

    void setSelected(boolean selected) {
        curve.pseudoClassStateChanged(PseudoClass.getPseudoClass("selected"), selected);
    }

    javafx.scene.Node hitArea() {
        return hit;
    }

    /** The drawn line, for tests that look at its route. */
    Path line() {
        return curve;
    }
}
