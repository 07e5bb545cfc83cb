package kiln.widgets.graph;

import javafx.scene.Group;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.SampleTrace;
import kiln.engine.shape.TensorShape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
    private static final int PIXEL_WIDTH = (int) WIDTH;
    private static final int PIXEL_HEIGHT = (int) HEIGHT;
    private static final int BAR_ARGB = argb(BAR);
    private static final int NEGATIVE_ARGB = argb(NEGATIVE);
    private static final int PREDICTED_ARGB = argb(PREDICTED);
    private static final int FRAME_ARGB = argb(FRAME);

    private LayerThumbnail() { }

    private static int argb(Color c) {
        return 0xff000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255);
    }

    /**
     * What one layer's thumbnail shows, computed off the JavaFX thread: its pixels (ARGB, premultiplied, row by row),
     * the words beside them ("+12" more maps, the predicted class) and the tooltip.
     */
    public record Picture(int width, int height, int[] argb, String text, double textX, boolean prediction, String tooltip) { }

    /** The pictures of every layer of a followed sample, by layer name; any thread (no JavaFX objects are made). */
    public static Map<String, Picture> pictures(SampleTrace.Result result, String outputLayer) {
        Map<String, Picture> pictures = new LinkedHashMap<>();
        for (SampleTrace.Layer l : result.layers()) {
            pictures.put(l.name(), picture(l, l.name().equals(outputLayer) ? result.prediction() : null));
        }
        return pictures;
    }

    /** The picture of one layer; {@code prediction} is given for the Output layer only. Any thread. */
    public static Picture picture(SampleTrace.Layer layer, Predictor.Prediction prediction) {
        String tooltip = String.format(Locale.ROOT, "%s for this sample: %s, mean %.3g, std %.3g, %.0f %% zeros",
                layer.name(), layer.shape(), layer.statistics().mean(), layer.statistics().std(),
                100 * layer.statistics().zeroShare());
        if (prediction != null) return probabilities(prediction, tooltip);
        return switch (layer.shape().kind()) {
            case IMAGE -> maps(layer.shape(), layer.values(), tooltip);
            case SEQUENCE -> sequence(layer.shape(), layer.values(), tooltip);
            default -> new Picture(PIXEL_WIDTH, PIXEL_HEIGHT, barPixels(layer.values(), PIXEL_WIDTH, PIXEL_HEIGHT), null, 0, false, tooltip);
        };
    }

    /**
     * Shows the pictures under their layers: a layer whose thumbnail has the same layout gets the new pixels and words
     * written into it (no new nodes, so a pick costs one pixel copy a layer); others get a new thumbnail. JavaFX thread.
     */
    public static void show(GraphCanvas canvas, Map<String, Picture> pictures) {
        pictures.forEach((layer, picture) -> {
            if (!(canvas.decoration(layer) instanceof View view) || !view.update(picture)) canvas.setDecoration(layer, new View(picture));
        });
    }

    /** The thumbnail of one layer as a new node; JavaFX thread. */
    public static javafx.scene.Node of(SampleTrace.Layer layer, Predictor.Prediction prediction) {
        return new View(picture(layer, prediction));
    }

    /** A thumbnail that keeps its image and label and takes a new picture of the same layout. */
    private static final class View extends Group {
        private final WritableImage image;
        private final Label label;
        private final Tooltip tooltip = new Tooltip();
        private final double textX;
        private final boolean prediction;

        View(Picture p) {
            image = new WritableImage(p.width(), p.height());
            ImageView pixels = new ImageView(image);
            pixels.setSmooth(false);
            getChildren().add(pixels);
            textX = p.textX();
            prediction = p.prediction();
            if (p.text() == null) {
                label = null;
            } else {
                label = new Label();
                if (prediction) {
                    label.getStyleClass().addAll("node-shape", "thumbnail-prediction");
                    label.setMaxWidth(WIDTH - p.textX() - 8);
                    label.relocate(p.textX() + 8, 2);
                } else {
                    label.getStyleClass().add("node-muted");
                    label.relocate(p.textX(), HEIGHT / 2 - 9);
                }
                getChildren().add(label);
            }
            getStyleClass().add("layer-thumbnail");
            Tooltip.install(this, tooltip);
            update(p);
        }

        /** Writes the picture in if it has this thumbnail's layout; false (and nothing changed) if not. */
        boolean update(Picture p) {
            if (p.width() != (int) image.getWidth() || p.height() != (int) image.getHeight() || p.textX() != textX
                    || p.prediction() != prediction || (p.text() == null) != (label == null)) {
                return false;
            }
            image.getPixelWriter().setPixels(0, 0, p.width(), p.height(), PixelFormat.getIntArgbPreInstance(), p.argb(), 0, p.width());
            if (label != null && !label.getText().equals(p.text())) label.setText(p.text());
            if (!p.tooltip().equals(tooltip.getText())) tooltip.setText(p.tooltip());
            return true;
        }
    }

    /** The first few feature maps side by side, each scaled to its own range and framed, and how many more there are. */
    private static Picture maps(TensorShape shape, float[] values, String tooltip) {
        int shown = Math.min(MAPS, shape.channels());
        int side = PIXEL_HEIGHT;
        int step = side + (int) GAP;
        boolean more = shape.channels() > shown;
        int width = more ? shown * step : PIXEL_WIDTH;
        int[] argb = new int[width * side];
        for (int c = 0; c < shown; c++) {
            int[] map = greyPixels(values, c, shape.height(), shape.width());
            for (int y = 0; y < side; y++) {
                int sy = y * shape.height() / side;
                for (int x = 0; x < side; x++) {
                    boolean frame = x == 0 || y == 0 || x == side - 1 || y == side - 1;
                    argb[y * width + c * step + x] = frame ? FRAME_ARGB : map[sy * shape.width() + x * shape.width() / side];
                }
            }
        }
        return new Picture(width, side, argb, more ? "+" + (shape.channels() - shown) : null, shown * (side + GAP), false, tooltip);
    }

    /** Steps × features as a grey picture, stretched to the box. */
    private static Picture sequence(TensorShape shape, float[] values, String tooltip) {
        int[] map = greyPixels(values, 0, shape.length(), shape.features());
        int[] argb = new int[PIXEL_WIDTH * PIXEL_HEIGHT];
        for (int y = 0; y < PIXEL_HEIGHT; y++) {
            int sy = y * shape.length() / PIXEL_HEIGHT;
            for (int x = 0; x < PIXEL_WIDTH; x++) argb[y * PIXEL_WIDTH + x] = map[sy * shape.features() + x * shape.features() / PIXEL_WIDTH];
        }
        return new Picture(PIXEL_WIDTH, PIXEL_HEIGHT, argb, null, 0, false, tooltip);
    }

    /** One bar per class, the predicted one green, and the predicted class in words. */
    private static Picture probabilities(Predictor.Prediction p, String tooltip) {
        float[] probs = p.probabilities();
        int best = p.predicted();
        double barsWidth = Math.min(WIDTH * 0.6, probs.length * 12.0);
        int width = (int) Math.ceil(barsWidth);
        int[] argb = new int[width * PIXEL_HEIGHT];
        fill(argb, width, 0, PIXEL_HEIGHT - 1, barsWidth, 1, FRAME_ARGB);
        double w = barsWidth / probs.length;
        for (int c = 0; c < probs.length; c++) {
            double h = Math.max(0, Math.min(1, probs[c])) * HEIGHT;
            fill(argb, width, c * w, HEIGHT - h, Math.max(1, w - 1), h, c == best ? PREDICTED_ARGB : BAR_ARGB);
        }
        String text = String.format(Locale.ROOT, "→ %s\n%.0f %%", p.classNames().get(best), 100 * p.confidence());
        return new Picture(width, PIXEL_HEIGHT, argb, text, barsWidth, true, tooltip);
    }

    /** The pixels of {@link #bars}: one bar per column (or per value), from a middle line or the bottom. */
    private static int[] barPixels(float[] values, int width, int height) {
        int[] argb = new int[width * height];
        layBars(values, width, height, new BarPainter() {
            @Override
            public void axis(double base) {
                fill(argb, width, 0, base - 1, width, 1, FRAME_ARGB);
            }

            @Override
            public void bar(double x, double y, double w, double h, boolean positive) {
                fill(argb, width, x, y, w, h, positive ? BAR_ARGB : NEGATIVE_ARGB);
            }
        });
        return argb;
    }

    /** Where {@link #layBars} puts the axis and then each bar: into a picture's pixels or onto a canvas. */
    private interface BarPainter {
        void axis(double base);

        void bar(double x, double y, double w, double h, boolean positive);
    }

    /**
     * Lays out {@link #bars}: one bar per column, the strongest value of the units it stands for, scaled to the
     * largest magnitude, from a middle line or (when none is negative) the bottom.
     */
    private static void layBars(float[] values, double width, double height, BarPainter painter) {
        int columns = Math.max(1, Math.min(values.length, (int) width));
        float[] shown = strongest(values, columns);
        float largest = 0;
        boolean negative = false;
        for (float v : shown) {
            largest = Math.max(largest, Math.abs(v));
            negative |= v < 0;
        }
        double base = negative ? height / 2 : height;
        double w = width / columns;
        painter.axis(base);
        for (int i = 0; i < columns; i++) {
            double h = largest > 0 ? shown[i] / largest * base : 0;
            if (h == 0) continue;
            painter.bar(i * w, h > 0 ? base - h : base, Math.max(w - (w > 3 ? 1 : 0), 1), Math.abs(h), h > 0);
        }
    }

    /** Fills the pixels a rectangle covers at least half of (what an unsmoothed fillRect would paint). */
    private static void fill(int[] argb, int width, double x, double y, double w, double h, int colour) {
        int height = argb.length / width;
        int x0 = Math.max(0, (int) Math.round(x));
        int x1 = Math.min(width, Math.max(x0 + 1, (int) Math.round(x + w)));
        int y0 = Math.max(0, (int) Math.round(y));
        int y1 = Math.min(height, (int) Math.round(y + h));
        for (int row = y0; row < y1; row++) java.util.Arrays.fill(argb, row * width + x0, row * width + x1, colour);
    }

    /** The value of largest magnitude among the units each of {@code columns} columns stands for. */
    private static float[] strongest(float[] values, int columns) {
        float[] shown = new float[columns];
        for (int i = 0; i < values.length; i++) {
            int c = (int) ((long) i * columns / values.length);
            if (Math.abs(values[i]) > Math.abs(shown[c])) shown[c] = values[i];
        }
        return shown;
    }

    /**
     * Values as bars from a middle line (or the bottom when none is negative), scaled to the largest magnitude; a
     * vector longer than the picture is wide gets one bar per pixel column, the strongest value of its units.
     */
    public static Canvas bars(float[] values, double width, double height) {
        Canvas canvas = new Canvas(width, height);
        GraphicsContext g = canvas.getGraphicsContext2D();
        layBars(values, width, height, new BarPainter() {
            @Override
            public void axis(double base) {
                g.setStroke(FRAME);
                g.strokeLine(0, base - 0.5, width, base - 0.5);
            }

            @Override
            public void bar(double x, double y, double w, double h, boolean positive) {
                g.setFill(positive ? BAR : NEGATIVE);
                g.fillRect(x, y, w, h);
            }
        });
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
        WritableImage img = new WritableImage(width, height);
        img.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbPreInstance(), greyPixels(values, c, height, width), 0, width);
        return img;
    }

    /** The pixels of {@link #featureMap} (opaque ARGB); any thread. */
    private static int[] greyPixels(float[] values, int c, int height, int width) {
        int plane = height * width;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = c * plane; i < (c + 1) * plane; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        float range = max > min ? max - min : 1;
        int[] argb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int g = max > min ? (int) Math.round((values[c * plane + i] - min) / range * 255) : 0;
            argb[i] = 0xff000000 | g << 16 | g << 8 | g;
        }
        return argb;
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
