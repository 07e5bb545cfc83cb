package kiln.widgets.eval;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A small grey image (e.g. 28×28) drawn with the mouse on an enlarged canvas: white strokes on black, like
 * MNIST digits. The right button erases. {@link #setOnChange} hears every stroke step (for live updates),
 * {@link #setOnStrokeEnd} each finished stroke or replaced image (for slower work).
 */
public final class DrawingPad extends Region {

    /** Brush radius in image pixels; MNIST strokes are about two pixels wide with soft edges. */
    static final double BRUSH = 1.4;

    private final int rows;
    private final int cols;
    private final float[] pixels;
    private final Canvas canvas;
    private double lastX = Double.NaN;
    private double lastY = Double.NaN;
    private Runnable onChange = () -> { };
    private Runnable onStrokeEnd = () -> { };

    public DrawingPad(int rows, int cols, double displaySize) {
        this.rows = rows;
        this.cols = cols;
        this.pixels = new float[rows * cols];
        canvas = new Canvas(displaySize, displaySize * rows / cols);
        getChildren().add(canvas);
        getStyleClass().add("drawing-pad");
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> stroke(e, true));
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> stroke(e, false));
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            lastX = Double.NaN;
            onStrokeEnd.run();
        });
        setMinSize(canvas.getWidth(), canvas.getHeight());
        setPrefSize(canvas.getWidth(), canvas.getHeight());
        setMaxSize(canvas.getWidth(), canvas.getHeight());
        draw();
    }

    public void setOnChange(Runnable onChange) {
        this.onChange = onChange;
    }

    public void setOnStrokeEnd(Runnable onStrokeEnd) {
        this.onStrokeEnd = onStrokeEnd;
    }

    /** The image as values 0 (black) to 255 (white), row by row. */
    public float[] pixels() {
        return pixels.clone();
    }

    /** The drawing as a model's input: the grey values repeated for each of {@code channels}, channels first. */
    public float[] sample(int channels) {
        float[] sample = new float[channels * pixels.length];
        for (int c = 0; c < channels; c++) System.arraycopy(pixels, 0, sample, c * pixels.length, pixels.length);
        return sample;
    }

    /** Replaces the image (values 0..255, row by row), e.g. with a loaded file. */
    public void setPixels(float[] values) {
        System.arraycopy(values, 0, pixels, 0, pixels.length);
        draw();
        onChange.run();
        onStrokeEnd.run();
    }

    /** Draws a polyline through points given in image pixels (x0, y0, x1, y1, ...), as a mouse stroke would. */
    public void drawStroke(double... xy) {
        for (int i = 0; i + 1 < xy.length; i += 2) {
            if (i == 0) {
                paint(xy[0], xy[1], false);
            } else {
                double d = Math.hypot(xy[i] - xy[i - 2], xy[i + 1] - xy[i - 1]);
                int steps = Math.max(1, (int) Math.ceil(d / 0.25));
                for (int k = 1; k <= steps; k++) {
                    paint(xy[i - 2] + (xy[i] - xy[i - 2]) * k / steps, xy[i - 1] + (xy[i + 1] - xy[i - 1]) * k / steps, false);
                }
            }
        }
        draw();
        onChange.run();
        onStrokeEnd.run();
    }

    public void clear() {
        java.util.Arrays.fill(pixels, 0);
        draw();
        onChange.run();
        onStrokeEnd.run();
    }

    public boolean isBlank() {
        for (float p : pixels) if (p > 0) return false;
        return true;
    }

    private void stroke(MouseEvent e, boolean start) {
        double x = e.getX() / canvas.getWidth() * cols;
        double y = e.getY() / canvas.getHeight() * rows;
        boolean erase = e.getButton() == MouseButton.SECONDARY;
        if (start || Double.isNaN(lastX)) {
            paint(x, y, erase);
        } else {
            // Fill the gap between two mouse events so fast strokes stay continuous.
            double d = Math.hypot(x - lastX, y - lastY);
            int steps = Math.max(1, (int) Math.ceil(d / 0.25));
            for (int i = 1; i <= steps; i++) paint(lastX + (x - lastX) * i / steps, lastY + (y - lastY) * i / steps, erase);
        }
        lastX = x;
        lastY = y;
        draw();
        onChange.run();
    }

    private void paint(double x, double y, boolean erase) {
        int r0 = (int) Math.floor(y - BRUSH - 1);
        int c0 = (int) Math.floor(x - BRUSH - 1);
        for (int r = Math.max(0, r0); r <= Math.min(rows - 1, r0 + (int) (2 * BRUSH + 2)); r++) {
            for (int c = Math.max(0, c0); c <= Math.min(cols - 1, c0 + (int) (2 * BRUSH + 2)); c++) {
                double dist = Math.hypot(c + 0.5 - x, r + 0.5 - y);
                double v = Math.max(0, Math.min(1, BRUSH + 0.5 - dist)); // soft edge one pixel wide
                int i = r * cols + c;
                if (erase) pixels[i] = (float) Math.min(pixels[i], 255 * (1 - v));
                else pixels[i] = (float) Math.max(pixels[i], 255 * v);
            }
        }
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double cw = canvas.getWidth() / cols;
        double ch = canvas.getHeight() / rows;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                g.setFill(Color.gray(pixels[r * cols + c] / 255.0));
                g.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
            }
        }
    }
}
