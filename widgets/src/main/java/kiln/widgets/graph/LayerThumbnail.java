package kiln.widgets.graph;

import javafx.scene.Group;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.SampleTrace;
import kiln.engine.shape.TensorShape;

import java.util.Locale;

/**
 * The small picture under a layer's box while following a sample: the first feature maps of a convolution or
 * pooling as tiles, a vector's values as a strip of bars, the Output's class probabilities with the predicted class.
 * Also the pictures the larger layer view is made of ({@link #featureMap}, {@link #heatMap}).
 */
public final class LayerThumbnail {

    /** As wide as a layer's box, so the picture reads as part of it. */
    static final double WIDTH = NodeView.WIDTH;
    static final double HEIGHT = 40;
    private static final int MAPS = 4;
    private static final double GAP = 4;
    private static final Color BAR = Color.web("#4f7fc0");
    private static final Color NEGATIVE = Color.web("#c0604f");
    private static final Color PREDICTED = Color.web("#2f9e44");
    private static final Color FRAME = Color.web("#8c959f");

    private LayerThumbnail() { }

    /** The thumbnail of one layer; {@code prediction} is given for the Output layer only. */
    public static javafx.scene.Node of(SampleTrace.Layer layer, Predictor.Prediction prediction) {
        javafx.scene.Node picture = prediction != null ? probabilities(prediction)
                : layer.shape().kind() == TensorShape.Kind.IMAGE ? maps(layer.shape(), layer.values())
                : layer.shape().kind() == TensorShape.Kind.SEQUENCE ? sequence(layer.shape(), layer.values())
                : bars(layer.values(), WIDTH, HEIGHT);
        picture.getStyleClass().add("layer-thumbnail");
        Tooltip.install(picture, new Tooltip(String.format(Locale.ROOT, "%s for this sample: %s, mean %.3g, std %.3g, %.0f %% zeros",
                layer.name(), layer.shape(), layer.statistics().mean(), layer.statistics().std(),
                100 * layer.statistics().zeroShare())));
        return picture;
    }

    /** The first few feature maps side by side, each scaled to its own range, and how many more there are. */
    private static javafx.scene.Node maps(TensorShape shape, float[] values) {
        int shown = Math.min(MAPS, shape.channels());
        Canvas canvas = new Canvas(WIDTH, HEIGHT);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setImageSmoothing(false);
        double side = HEIGHT;
        for (int c = 0; c < shown; c++) {
            double x = c * (side + GAP);
            g.drawImage(featureMap(values, c, shape.height(), shape.width()), x, 0, side, side);
            g.setStroke(FRAME);
            g.strokeRect(x + 0.5, 0.5, side - 1, side - 1);
        }
        // A group, not a layout pane: it sits exactly where the layer's box puts it, at its natural size.
        Group box = new Group(canvas);
        if (shape.channels() > shown) {
            canvas.setWidth(shown * (side + GAP));
            Label more = new Label("+" + (shape.channels() - shown));
            more.getStyleClass().add("node-muted");
            more.relocate(shown * (side + GAP), HEIGHT / 2 - 9);
            box.getChildren().add(more);
        }
        return box;
    }

    /** Steps × features as a grey picture, stretched to the box. */
    private static javafx.scene.Node sequence(TensorShape shape, float[] values) {
        Canvas canvas = new Canvas(WIDTH, HEIGHT);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setImageSmoothing(false);
        g.drawImage(featureMap(values, 0, shape.length(), shape.features()), 0, 0, WIDTH, HEIGHT);
        return canvas;
    }

    /**
     * Values as bars from a middle line (or the bottom when none is negative), scaled to the largest magnitude; a
     * vector longer than the picture is wide gets one bar per pixel column, the strongest value of its units.
     */
    public static Canvas bars(float[] values, double width, double height) {
        int columns = Math.max(1, Math.min(values.length, (int) width));
        float[] shown = new float[columns];
        for (int i = 0; i < values.length; i++) {
            int c = (int) ((long) i * columns / values.length);
            if (Math.abs(values[i]) > Math.abs(shown[c])) shown[c] = values[i];
        }
        Canvas canvas = new Canvas(width, height);
        GraphicsContext g = canvas.getGraphicsContext2D();
        float largest = 0;
        boolean negative = false;
        for (float v : shown) {
            largest = Math.max(largest, Math.abs(v));
            negative |= v < 0;
        }
        double base = negative ? height / 2 : height;
        double reach = negative ? height / 2 : height;
        double w = width / columns;
        g.setStroke(FRAME);
        g.strokeLine(0, base - 0.5, width, base - 0.5);
        for (int i = 0; i < columns; i++) {
            double h = largest > 0 ? shown[i] / largest * reach : 0;
            if (h == 0) continue;
            g.setFill(h > 0 ? BAR : NEGATIVE);
            g.fillRect(i * w, h > 0 ? base - h : base, Math.max(w - (w > 3 ? 1 : 0), 1), Math.abs(h));
        }
        return canvas;
    }

    /** One bar per class, the predicted one green, and the predicted class in words. */
    private static javafx.scene.Node probabilities(Predictor.Prediction p) {
        float[] probs = p.probabilities();
        int best = p.predicted();
        double barsWidth = Math.min(WIDTH * 0.6, probs.length * 12.0);
        Canvas canvas = new Canvas(barsWidth, HEIGHT);
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = barsWidth / probs.length;
        g.setStroke(FRAME);
        g.strokeLine(0, HEIGHT - 0.5, barsWidth, HEIGHT - 0.5);
        for (int c = 0; c < probs.length; c++) {
            double h = Math.max(0, Math.min(1, probs[c])) * HEIGHT;
            g.setFill(c == best ? PREDICTED : BAR);
            g.fillRect(c * w, HEIGHT - h, Math.max(1, w - 1), h);
        }
        Label label = new Label(String.format(Locale.ROOT, "→ %s\n%.0f %%", p.classNames().get(best), 100 * p.confidence()));
        label.getStyleClass().addAll("node-shape", "thumbnail-prediction");
        label.setMaxWidth(WIDTH - barsWidth - 8);
        label.relocate(barsWidth + 8, 2);
        return new Group(canvas, label);
    }

    /** Channel {@code c} of a channels-first map as grey pixels, stretched from its smallest to its largest value. */
    public static Image featureMap(float[] values, int c, int height, int width) {
        int plane = height * width;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = c * plane; i < (c + 1) * plane; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        float range = max > min ? max - min : 1;
        WritableImage img = new WritableImage(width, height);
        PixelWriter w = img.getPixelWriter();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = max > min ? (values[c * plane + y * width + x] - min) / range : 0;
                w.setColor(x, y, Color.gray(v));
            }
        }
        return img;
    }

    /**
     * A matrix (rows × columns, row-major) as a heat map at most {@code maxSide} pixels a side (averaging blocks of a
     * larger one): blue for negative, red for positive, white at zero, scaled to the largest magnitude.
     */
    public static Image heatMap(float[] values, int rows, int columns, int maxSide) {
        int h = Math.min(rows, maxSide);
        int w = Math.min(columns, maxSide);
        float[] cells = new float[h * w];
        int[] counts = new int[h * w];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = (int) ((long) r * h / rows) * w + (int) ((long) c * w / columns);
                cells[i] += values[r * columns + c];
                counts[i]++;
            }
        }
        float largest = 0;
        for (int i = 0; i < cells.length; i++) {
            cells[i] /= Math.max(1, counts[i]);
            largest = Math.max(largest, Math.abs(cells[i]));
        }
        WritableImage img = new WritableImage(w, h);
        PixelWriter pw = img.getPixelWriter();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = largest > 0 ? cells[y * w + x] / largest : 0;
                pw.setColor(x, y, v >= 0 ? Color.color(1, 1 - v, 1 - v) : Color.color(1 + v, 1 + v, 1));
            }
        }
        return img;
    }
}
