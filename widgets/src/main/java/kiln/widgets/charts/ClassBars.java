package kiln.widgets.charts;

import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import kiln.widgets.util.CanvasWidget;
import kiln.widgets.util.StyledColors;

import java.util.List;
import java.util.Locale;

/**
 * Samples per class as horizontal bars on one scale, so an unbalanced data set is visible at a glance;
 * classes far below the average are drawn in a warning colour. Colours come from the theme (widgets.css).
 */
public final class ClassBars extends CanvasWidget {

    private static final double ROW = 16;
    private static final StyledColors<ClassBars> CSS = new StyledColors<>();

    private final StyleableObjectProperty<Color> textColor = CSS.color(this, "-kiln-text-color", b -> b.textColor, Color.web("#1f2328"));
    private final StyleableObjectProperty<Color> barColor = CSS.color(this, "-kiln-bar-color", b -> b.barColor, Color.web("#0969da"));
    private final StyleableObjectProperty<Color> lowBarColor = CSS.color(this, "-kiln-low-bar-color", b -> b.lowBarColor, Color.web("#9a6700"));
    private List<String> names = List.of();
    private int[] counts = new int[0];

    public ClassBars() {
        super("class-bars");
        repaintWhenChanged(List.of(textColor, barColor, lowBarColor));
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.cssMetaData();
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

    /** The colour the class names and counts are written in (follows the theme). */
    public Color textColor() {
        return textColor.get();
    }

    @Override
    protected double computePrefHeight(double width) {
        return names.size() * ROW + 8;
    }

    @Override
    protected void draw() {
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
            g.setFill(textColor.get());
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(names.get(i), labelW - 4, y + ROW / 2, labelW - 6);
            g.setFill(counts[i] < 0.5 * mean ? lowBarColor.get() : barColor.get());
            g.fillRect(labelW, y + 2, barW * counts[i] / max, ROW - 4);
            g.setFill(textColor.get());
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%,d", counts[i]), labelW + barW + 4, y + ROW / 2);
        }
    }
}
