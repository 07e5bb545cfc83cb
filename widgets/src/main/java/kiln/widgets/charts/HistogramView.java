package kiln.widgets.charts;

import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import kiln.engine.data.pipeline.Histogram;
import kiln.widgets.util.CanvasWidget;
import kiln.widgets.util.StyledColors;

import java.util.List;
import java.util.Locale;

/**
 * Value histograms of a step's input and output, one above the other, each with its own value axis and
 * its mean and standard deviation written out (the point of normalization is to change those). Colours come
 * from the theme (widgets.css).
 */
public final class HistogramView extends CanvasWidget {

    private static final StyledColors<HistogramView> CSS = new StyledColors<>();

    private final StyleableObjectProperty<Color> textColor = CSS.color(this, "-kiln-text-color", h -> h.textColor, Color.web("#1f2328"));
    private final StyleableObjectProperty<Color> axisColor = CSS.color(this, "-kiln-axis-color", h -> h.axisColor, Color.web("#d0d7de"));
    private final StyleableObjectProperty<Color> beforeColor = CSS.color(this, "-kiln-before-color", h -> h.beforeColor, Color.web("#6e7781"));
    private final StyleableObjectProperty<Color> afterColor = CSS.color(this, "-kiln-after-color", h -> h.afterColor, Color.web("#0969da"));
    private final StyleableObjectProperty<Color> meanColor = CSS.color(this, "-kiln-mean-color", h -> h.meanColor, Color.web("#d1242f"));
    private Histogram before;
    private Histogram after;
    private String beforeTitle = "before";
    private String afterTitle = "after";

    public HistogramView() {
        super("histogram-view");
        setMinHeight(160);
        setPrefHeight(220);
        repaintWhenChanged(List.of(textColor, axisColor, beforeColor, afterColor, meanColor));
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.cssMetaData();
    }

    /** The colour the captions are written in (follows the theme). */
    public Color textColor() {
        return textColor.get();
    }

    public void show(Histogram before, Histogram after) {
        show(before, "before", after, "after");
    }

    /** Two histograms under other titles (e.g. a layer's activations and weights); a null second one leaves one panel. */
    public void show(Histogram top, String topTitle, Histogram bottom, String bottomTitle) {
        this.before = top;
        this.after = bottom;
        this.beforeTitle = topTitle;
        this.afterTitle = bottomTitle;
        draw();
    }

    public Histogram before() {
        return before;
    }

    public Histogram after() {
        return after;
    }

    @Override
    protected void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (before == null || w < 40 || h < 60) return;
        if (after == null) {
            panel(g, before, beforeTitle, 0, w, h, beforeColor.get());
            return;
        }
        double half = h / 2;
        panel(g, before, beforeTitle, 0, w, half, beforeColor.get());
        panel(g, after, afterTitle, half, w, half, afterColor.get());
    }

    private void panel(GraphicsContext g, Histogram hist, String title, double top, double w, double h, Color colour) {
        double left = 8;
        double right = w - 8;
        double textH = 16;
        double base = top + h - textH - 2;
        double barTop = top + textH + 2;
        long[] counts = hist.counts();
        long max = 1;
        for (long c : counts) max = Math.max(max, c);
        double bw = (right - left) / counts.length;
        g.setFill(colour);
        for (int i = 0; i < counts.length; i++) {
            // square-root heights keep a big background peak (black pixels) from flattening the rest
            double bh = Math.sqrt((double) counts[i] / max) * (base - barTop);
            g.fillRect(left + i * bw, base - bh, Math.max(1, bw - 1), bh);
        }
        g.setStroke(axisColor.get());
        g.strokeLine(left, base, right, base);
        g.setFill(textColor.get());
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "%s: mean %.4g, std %.4g (%,d values)", title, hist.mean(), hist.std(), hist.total()), left, top + 1);
        g.fillText(String.format(Locale.ROOT, "%.4g", hist.min()), left, base + 2);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(String.format(Locale.ROOT, "%.4g", hist.max()), right, base + 2);
        // the mean as a marker on the value axis
        double span = hist.max() - hist.min();
        if (span > 0) {
            double x = left + (hist.mean() - hist.min()) / span * (right - left);
            g.setStroke(meanColor.get());
            g.strokeLine(x, barTop, x, base);
        }
    }
}
