package kiln.widgets.graph;

import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurve;
import kiln.engine.model.Edge;

/** A connection drawn as a curve from an output port to an input port, labelled with the tensor shape. */
final class EdgeView extends Group {

    final Edge edge;
    private final CubicCurve curve = new CubicCurve();
    private final CubicCurve hit = new CubicCurve();
    final Label label = new Label();

    EdgeView(Edge edge, String shapeText) {
        this.edge = edge;
        getStyleClass().add("graph-edge");
        curve.getStyleClass().add("edge-line");
        curve.setFill(null);
        curve.setMouseTransparent(true);
        // a wide transparent twin makes the thin curve easy to click
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

    /** Places the curve between two world points; the label sits at its middle. */
    void place(Point2D from, Point2D to) {
        double dx = Math.max(40, Math.abs(to.getX() - from.getX()) / 2);
        for (CubicCurve c : new CubicCurve[] {curve, hit}) {
            c.setStartX(from.getX());
            c.setStartY(from.getY());
            c.setControlX1(from.getX() + dx);
            c.setControlY1(from.getY());
            c.setControlX2(to.getX() - dx);
            c.setControlY2(to.getY());
            c.setEndX(to.getX());
            c.setEndY(to.getY());
        }
        // the point at t = 0.5 of a cubic Bézier
        double mx = (from.getX() + 3 * (from.getX() + dx) + 3 * (to.getX() - dx) + to.getX()) / 8;
        double my = (from.getY() + to.getY()) / 2;
        label.setLayoutX(mx);
        label.setLayoutY(my);
        // a label wider than the gap between two close layers would cover their ports; the tooltip keeps it
        double width = label.getWidth() > 0 ? label.getWidth() : 7 * label.getText().length();
        fits = from.distance(to) > width + 6;
        label.setVisible(hasShape && fits);
    }

    void setSelected(boolean selected) {
        curve.pseudoClassStateChanged(PseudoClass.getPseudoClass("selected"), selected);
    }

    javafx.scene.Node hitArea() {
        return hit;
    }
}
