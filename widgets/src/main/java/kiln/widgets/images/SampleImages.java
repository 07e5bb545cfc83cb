package kiln.widgets.images;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import kiln.engine.shape.TensorShape;

/** Turns one channels-first sample into a JavaFX image. Safe off the JavaFX thread (the image is not shown yet). */
public final class SampleImages {

    private SampleImages() { }

    /**
     * @param lo value shown as black
     * @param hi value shown as white; values outside [lo, hi] are clipped
     */
    public static WritableImage toImage(float[] values, int offset, TensorShape shape, float lo, float hi) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        int[] argb = new int[plane];
        float scale = hi > lo ? 255f / (hi - lo) : 0;
        boolean colour = shape.channels() >= 3;
        for (int i = 0; i < plane; i++) {
            int r = level(values[offset + i], lo, scale);
            int g = colour ? level(values[offset + plane + i], lo, scale) : r;
            int b = colour ? level(values[offset + 2 * plane + i], lo, scale) : r;
            argb[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }

    private static int level(float v, float lo, float scale) {
        if (v != v) return 0;
        int x = Math.round((v - lo) * scale);
        return x < 0 ? 0 : Math.min(x, 255);
    }
}
