package kiln.widgets.charts;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;

/**
 * Samples per class as horizontal bars on one scale, so an unbalanced data set is visible at a glance;
 * classes far below the average are drawn in a warning colour.
 */
public final class ClassBars extends Region {

    private static final double ROW = 16;
    private final Canvas canvas = new Canvas();
    private List<String> names = List.of();
    private int[] counts = new int[0];

    public ClassBars() {
        getChildren().add(canvas);
        getStyleClass().add("class-bars");
    }

    public void show(List<String> classNames, int[] classCounts) {
        names = List.copyOf(classNames);
        counts = classCounts.clone();
        setPrefHeight(names.size() * ROW + 8);
        setMinHeight(Math.min(getPrefHeight(), 120));
        requestLayout();
        draw();
    }

    public int[] counts() {
        return counts.clone();
    }

    @Override
    protected double computePrefHeight(double width) {
        return names.size() * ROW + 8;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        g.clearRect(0, 0, w, canvas.getHeight());
        if (counts.length == 0 || w < 60) return;
        int max = 1;
        long total = 0;
        for (int c : counts) {
            max = Math.max(max, c);
            total += c;
        }
        double mean = (double) total / counts.length;
        double labelW = Math.min(110, w * 0.35);
        double countW = 52;
        double barW = w - labelW - countW - 8;
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < counts.length; i++) {
            double y = 4 + i * ROW;
            g.setFill(Color.web("#333"));
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(names.get(i), labelW - 4, y + ROW / 2, labelW - 6);
            g.setFill(counts[i] < 0.5 * mean ? Color.web("#d9822b") : Color.web("#4a7bd0"));
            g.fillRect(labelW, y + 2, barW * counts[i] / max, ROW - 4);
            g.setFill(Color.web("#333"));
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%,d", counts[i]), labelW + barW + 4, y + ROW / 2);
        }
    }
}
