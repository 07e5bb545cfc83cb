package kiln.widgets.charts;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A logarithmic axis ticked at round values a student reads at a glance: 1, 2 and 5 times a power of ten over a
 * few decades, only the powers of ten over many ("0.0003, 0.001, 0.003" rather than JFreeChart's "2.8E-4, 3.2E-4").
 */
final class RoundLogAxis extends LogAxis {

    /** At most this many labels fit under a chart; wider ranges keep every other power of ten, and so on. */
    private static final int MOST_TICKS = 9;

    RoundLogAxis(String label) {
        super(label);
    }

    /** The tick values between {@code lower} and {@code upper} (both above 0), smallest first. */
    static List<Double> ticks(double lower, double upper) {
        int first = (int) Math.floor(Math.log10(lower));
        int last = (int) Math.ceil(Math.log10(upper));
        double decades = Math.log10(upper / lower);
        double[] steps = decades <= 1.5 ? new double[] {1, 2, 3, 5} : decades <= 3 ? new double[] {1, 2, 5}
                : decades <= 5 ? new double[] {1, 3} : new double[] {1};
        int every = Math.max(1, (int) Math.ceil((last - first + 1) / (double) MOST_TICKS));
        List<Double> ticks = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            if (steps.length == 1 && Math.floorMod(k, every) != 0) continue;
            for (double step : steps) {
                double v = new BigDecimal(step).scaleByPowerOfTen(k).doubleValue(); // exact 0.003, not 0.0030000000000000001
                if (v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9)) ticks.add(v);
            }
        }
        return ticks;
    }

    /** 0.0003, 2 and 50000 as plain numbers; 3e-7 and 2e6 beyond. */
    static String label(double v) {
        if (v >= 1e-4 && v < 1e5) return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        String[] parts = String.format(java.util.Locale.ROOT, "%.0e", v).split("e");
        return parts[0] + "e" + Integer.parseInt(parts[1]);
    }

    @Override
    protected List<ValueTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        List<ValueTick> ticks = new ArrayList<>();
        for (double v : ticks(getLowerBound(), getUpperBound())) {
            ticks.add(new NumberTick(v, label(v), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0));
        }
        return ticks;
    }
}
