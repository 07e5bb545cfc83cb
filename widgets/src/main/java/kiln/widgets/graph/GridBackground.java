package kiln.widgets.graph;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

import java.util.function.Supplier;

/**
 * The canvas's light grid, drawn once per zoom level on a bitmap one cell larger than the view; panning only
 * shifts the bitmap, so the grid costs the same at any graph size and pan speed.
 */
final class GridBackground extends Canvas {

    private static final double GRID = 20;

    private final Supplier<Paint> textFill;
    private double viewW = -1;
    private double viewH = -1;
    private double step = GRID;

    /** {@code textFill} is the theme's text colour, which the lines are a faint shade of. */
    GridBackground(Supplier<Paint> textFill) {
        this.textFill = textFill;
        setMouseTransparent(true);
    }

    /** Takes the view's size; true when it changed, and the grid must be drawn again. */
    boolean resizeView(double width, double height) {
        if (viewW == width && viewH == height) return false;
        viewW = width;
        viewH = height;
        return true;
    }

    /** Draws the lines for this zoom. */
    void draw(double scale) {
        double s = GRID * scale;
        while (s < 12) s *= 5;
        step = s;
        setWidth(Math.max(0, viewW) + s);
        setHeight(Math.max(0, viewH) + s);
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.clearRect(0, 0, w, h);
        g.setStroke(lineColor());
        g.setLineWidth(1);
        for (double x = 0; x < w; x += s) g.strokeLine(Math.floor(x) + 0.5, 0, Math.floor(x) + 0.5, h);
        for (double y = 0; y < h; y += s) g.strokeLine(0, Math.floor(y) + 0.5, w, Math.floor(y) + 0.5);
    }

    /** Shifts the drawn grid to follow the pan. */
    void place(double panX, double panY) {
        double ox = ((panX % step) + step) % step;
        double oy = ((panY % step) + step) % step;
        setTranslateX(Math.round(ox - step));
        setTranslateY(Math.round(oy - step));
    }

    private Color lineColor() {
        // the grid follows the theme: a faint line of the text colour over the background
        Color text = textFill.get() instanceof Color c ? c : Color.GRAY;
        return new Color(text.getRed(), text.getGreen(), text.getBlue(), 0.07);
    }
}
