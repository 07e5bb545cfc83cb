package kiln.widgets.charts;

import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Polyline;
import kiln.widgets.util.StyledColors;

import java.util.Arrays;

/**
 * A word-sized line chart (Tufte's sparkline): a series from its smallest to its largest value, without axes, and
 * a dot on the newest value. Values that are not finite leave a gap in x but are not drawn. Style class
 * "sparkline"; "warning" colours it as a warning.
 */
public final class Sparkline extends Region {

    private static final double PAD = 2;

    private final Polyline line = new Polyline();
    private final Circle last = new Circle(1.8);
    private double[] values = new double[0];

    public Sparkline(double width, double height) {
        getStyleClass().add("sparkline");
        getStylesheets().add(StyledColors.stylesheet());
        line.getStyleClass().add("sparkline-line");
        last.getStyleClass().add("sparkline-dot");
        line.setManaged(false);
        last.setManaged(false);
        getChildren().addAll(line, last);
        setMinSize(width, height);
        setPrefSize(width, height);
        setMaxSize(width, height);
        resize(width, height);
    }

    public void setValues(double[] v) {
        values = v.clone();
        requestLayout();
        layoutChildren();
    }

    public double[] values() {
        return values.clone();
    }

    public void setWarning(boolean warning) {
        if (warning && !getStyleClass().contains("warning")) getStyleClass().add("warning");
        if (!warning) getStyleClass().remove("warning");
    }

    /** How many points are drawn (the finite values). */
    public int points() {
        return line.getPoints().size() / 2;
    }

    @Override
    protected void layoutChildren() {
        double w = getPrefWidth();
        double h = getPrefHeight();
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        line.getPoints().clear();
        last.setVisible(finite.length > 0);
        if (finite.length == 0) return;
        double min = Arrays.stream(finite).min().orElseThrow();
        double max = Arrays.stream(finite).max().orElseThrow();
        double span = max > min ? max - min : 1;
        int n = values.length;
        double x = 0;
        double y = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) continue;
            x = n == 1 ? w / 2 : PAD + (w - 2 * PAD) * i / (n - 1);
            // a flat series sits in the middle
            y = max > min ? h - PAD - (h - 2 * PAD) * (values[i] - min) / span : h / 2;
            line.getPoints().addAll(x, y);
        }
        last.setCenterX(x);
        last.setCenterY(y);
    }
}
