package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

import java.awt.image.BufferedImage;

/**
 * Pictures of what a layer produced, for files and the command line (the app draws its own): feature maps as a
 * grid of grey tiles, each scaled to its own range; vectors as a strip of cells; sequences as steps × features.
 * Small maps are enlarged by whole pixels so a 5×5 map stays visible.
 */
public final class LayerPictures {

    private static final int GAP = 1;
    private static final int MIN_TILE = 56;
    private static final int CELL = 10;
    private static final int CELLS_PER_ROW = 32;
    private static final int GAP_GREY = 0x80;

    private LayerPictures() { }

    /** One layer's output for one sample (channels first for feature maps). */
    public static BufferedImage of(TensorShape shape, float[] values) {
        return switch (shape.kind()) {
            case IMAGE -> grid(values, shape.channels(), shape.height(), shape.width());
            case SEQUENCE -> tiles(values, 1, shape.length(), shape.features(), Math.max(1, MIN_TILE / Math.max(shape.length(), shape.features())));
            case VECTOR -> strip(values);
        };
    }

    private static BufferedImage grid(float[] values, int channels, int h, int w) {
        int scale = Math.max(1, MIN_TILE / Math.max(h, w));
        return tiles(values, channels, h, w, scale);
    }

    private static BufferedImage tiles(float[] values, int channels, int h, int w, int scale) {
        int columns = (int) Math.ceil(Math.sqrt(channels));
        int rows = (channels + columns - 1) / columns;
        int tw = w * scale;
        int th = h * scale;
        BufferedImage img = new BufferedImage(columns * (tw + GAP) - GAP, rows * (th + GAP) - GAP, BufferedImage.TYPE_INT_RGB);
        fill(img, GAP_GREY);
        int cells = h * w;
        for (int c = 0; c < channels; c++) {
            float[] range = range(values, c * cells, cells);
            int ox = (c % columns) * (tw + GAP);
            int oy = (c / columns) * (th + GAP);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    img.setRGB(ox + x, oy + y, grey(values[c * cells + (y / scale) * w + x / scale], range));
                }
            }
        }
        return img;
    }

    private static BufferedImage strip(float[] values) {
        int columns = Math.min(values.length, CELLS_PER_ROW);
        int rows = (values.length + columns - 1) / columns;
        BufferedImage img = new BufferedImage(columns * CELL, rows * CELL, BufferedImage.TYPE_INT_RGB);
        fill(img, GAP_GREY);
        float[] range = range(values, 0, values.length);
        for (int i = 0; i < values.length; i++) {
            int rgb = grey(values[i], range);
            int ox = (i % columns) * CELL;
            int oy = (i / columns) * CELL;
            for (int y = 0; y < CELL - GAP; y++) for (int x = 0; x < CELL - GAP; x++) img.setRGB(ox + x, oy + y, rgb);
        }
        return img;
    }

    /**
     * A heat map (values 0..1, same size as the image) over a raw image (channels first, 0–255): the image in grey,
     * the map from transparent to red-yellow where it is strong.
     */
    public static BufferedImage overlay(float[] raw, TensorShape shape, float[] heat) {
        int h = shape.height();
        int w = shape.width();
        int ch = shape.channels();
        int scale = Math.max(1, 224 / Math.max(h, w));
        float[] range = range(raw, 0, raw.length);
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int i = (y / scale) * w + x / scale;
                double base = 0;
                for (int c = 0; c < ch; c++) base += raw[c * h * w + i];
                base /= ch;
                double g = range[1] > range[0] ? (base - range[0]) / (range[1] - range[0]) : 0;
                double heatAt = Math.min(1, Math.max(0, heat[i]));
                double a = heatAt * 0.7;
                // From red (weak) to yellow (strong), blended over the grey image by its strength.
                double r = g * (1 - a) + a;
                double gg = g * (1 - a) + a * heatAt;
                double b = g * (1 - a);
                img.setRGB(x, y, rgb(r, gg, b));
            }
        }
        return img;
    }

    /**
     * Samples of a data set side by side (channels first, each stretched to its own range, grey or RGB), in up to
     * {@code columns} columns, enlarged like layer tiles: the top samples of a unit, for files.
     */
    public static BufferedImage samples(Dataset data, int[] indices, int columns) {
        TensorShape shape = data.sampleShape();
        if (shape.kind() != TensorShape.Kind.IMAGE) throw new IllegalArgumentException("samples of " + shape + " are no pictures");
        int h = shape.height();
        int w = shape.width();
        int ch = shape.channels();
        int scale = Math.max(1, MIN_TILE / Math.max(h, w));
        int cols = Math.max(1, Math.min(columns, indices.length));
        int rows = (indices.length + cols - 1) / cols;
        int tw = w * scale;
        int th = h * scale;
        BufferedImage img = new BufferedImage(Math.max(1, cols * (tw + GAP) - GAP), Math.max(1, rows * (th + GAP) - GAP),
                BufferedImage.TYPE_INT_RGB);
        fill(img, GAP_GREY);
        int per = data.sampleLength();
        int plane = h * w;
        for (int k = 0; k < indices.length; k++) {
            int offset = indices[k] * per;
            float[] range = range(data.features(), offset, per);
            double span = range[1] > range[0] ? range[1] - range[0] : 1;
            int ox = (k % cols) * (tw + GAP);
            int oy = (k / cols) * (th + GAP);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    int i = offset + (y / scale) * w + x / scale;
                    double r = (data.features()[i] - range[0]) / span;
                    int rgb = ch >= 3 ? rgb(r, (data.features()[i + plane] - range[0]) / span,
                            (data.features()[i + 2 * plane] - range[0]) / span) : rgb(r, r, r);
                    img.setRGB(ox + x, oy + y, rgb);
                }
            }
        }
        return img;
    }

    private static float[] range(float[] v, int from, int n) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        return new float[] {min, max};
    }

    private static int grey(float v, float[] range) {
        double g = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 0;
        return rgb(g, g, g);
    }

    private static int rgb(double r, double g, double b) {
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.min(1, Math.max(0, v)) * 255);
    }

    private static void fill(BufferedImage img, int grey) {
        int rgb = (grey << 16) | (grey << 8) | grey;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, rgb);
    }
}
