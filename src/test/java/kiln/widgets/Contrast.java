package kiln.widgets;

import javafx.scene.paint.Color;

/** WCAG contrast of text and its background, for the tests that check both themes read well. */
public final class Contrast {

    /** WCAG's minimum for body text. */
    public static final double READABLE = 4.5;

    private Contrast() { }

    /** Contrast ratio of two opaque colours: 1 (same) to 21 (black on white). */
    public static double ratio(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
