package kiln.widgets.eval;

import javafx.scene.image.Image;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/** Turns sample values into pictures: images stretched to their own value range, and heat maps. */
public final class Images {

    private Images() { }

    /**
     * A sample stored channels-first (C, H, W) as a picture, each image stretched from its smallest to its largest
     * value, so raw pixels and standardized values both look right. One channel is grey, three are RGB.
     */
    public static Image sample(float[] values, int offset, int height, int width, int channels) {
        Stretch s = Stretch.of(values, offset, height * width * channels);
        WritableImage img = new WritableImage(width, height);
        PixelWriter w = img.getPixelWriter();
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = offset + y * width + x;
                double r = s.of(values[i]);
                if (channels >= 3) {
                    w.setColor(x, y, Color.color(r, s.of(values[i + plane]), s.of(values[i + 2 * plane])));
                } else {
                    w.setColor(x, y, Color.gray(r));
                }
            }
        }
        return img;
    }

    /** A heat map of values 0..1 (transparent black through red to yellow), to lay over or beside an image. */
    public static Image heatMap(float[] map, int height, int width) {
        WritableImage img = new WritableImage(width, height);
        PixelWriter w = img.getPixelWriter();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                w.setColor(x, y, heat(map[y * width + x]));
            }
        }
        return img;
    }

    /**
     * A heat map (0..1, one value per pixel) laid over a sample (channels first, stretched to its own range, shown in
     * grey): where the map is strong the heat colours cover the picture, where it is 0 the picture shows as it is.
     */
    public static Image overlay(float[] values, int offset, int height, int width, int channels, float[] heat) {
        Stretch s = Stretch.of(values, offset, height * width * channels);
        int plane = height * width;
        WritableImage img = new WritableImage(width, height);
        PixelWriter w = img.getPixelWriter();
        for (int i = 0; i < plane; i++) {
            double grey = 0;
            for (int c = 0; c < channels; c++) grey += s.of(values[offset + c * plane + i]);
            Color under = Color.gray(Math.min(1, grey / channels));
            double strength = Math.max(0, Math.min(1, heat[i]));
            w.setColor(i % width, i / width, under.interpolate(heat(0.4 + 0.6 * strength), 0.75 * strength));
        }
        return img;
    }

    /** A sample's values stretched from its smallest (0) to its largest (1); when all are equal, all are 0. */
    private record Stretch(float min, float range) {

        static Stretch of(float[] values, int offset, int n) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, values[offset + i]);
                max = Math.max(max, values[offset + i]);
            }
            return new Stretch(min, max > min ? max - min : 1);
        }

        double of(float v) {
            return (v - min) / range;
        }
    }

    /** The colour scale of {@link #heatMap}: black, dark red, red, orange, yellow, white. */
    public static Color heat(double v) {
        v = Math.max(0, Math.min(1, v));
        if (v < 0.33) return Color.color(v / 0.33 * 0.7, 0, 0);
        if (v < 0.66) return Color.color(0.7 + (v - 0.33) / 0.33 * 0.3, (v - 0.33) / 0.33 * 0.55, 0);
        return Color.color(1, 0.55 + (v - 0.66) / 0.34 * 0.45, (v - 0.66) / 0.34 * 0.6);
    }
}
