package kiln.engine.eval;

import java.util.List;
import java.util.Locale;

/**
 * One metric over runs that differ only in their seed (or over the folds of a cross-validation): mean, sample
 * standard deviation (divided by n − 1) and the 95 % confidence interval of the mean from Student's t
 * distribution with n − 1 degrees of freedom.
 */
public record SeedSummary(List<Double> values, double mean, double std, double low, double high) {

    /** Two-sided 97.5 % quantiles of Student's t for 1 to 30 degrees of freedom (standard tables). */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    private static final double Z_975 = 1.959964;

    public SeedSummary {
        values = List.copyOf(values);
    }

    /** The summary of at least two values (one value has no spread to measure). */
    public static SeedSummary of(List<Double> values) {
        int n = values.size();
        if (n < 2) throw new IllegalArgumentException("a spread needs at least 2 values; got " + n);
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / n;
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        double std = Math.sqrt(squares / (n - 1));
        double half = tQuantile975(n - 1) * std / Math.sqrt(n);
        return new SeedSummary(values, mean, std, mean - half, mean + half);
    }

    /**
     * The 97.5 % quantile of Student's t with {@code df} degrees of freedom: the table up to 30, beyond it the
     * Cornish–Fisher expansion around the normal quantile (off by less than 0.001 there).
     */
    static double tQuantile975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be at least 1; got " + df);
        if (df <= T_975.length) return T_975[df - 1];
        double z = Z_975;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }

    public int count() {
        return values.size();
    }

    /**
     * Whether two single results (e.g. the test accuracies of two runs with different settings) differ by less than
     * the seed-to-seed noise this summary measured: |a − b| &lt; 2 · std. Two runs that differ only in their seed
     * differ by a normal amount with standard deviation √2 · std, which exceeds 2 · std about 16 % of the time; so
     * a difference inside the band cannot be told apart from a new seed, and one outside it is worth a second look
     * (not proof: repeat both settings to be sure).
     */
    public boolean withinNoise(double a, double b) {
        return Math.abs(a - b) < 2 * std;
    }

    /** "0.9612 ± 0.0150" with four decimals. */
    public String meanAndStd() {
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
    }

    /** "0.9612 ± 0.0150 (mean ± sample std over 5 seeds; 95 % interval 0.9426–0.9798)". */
    public String describe(String over) {
        return String.format(Locale.ROOT, "%s (mean ± sample std over %d %s; 95 %% interval %.4f–%.4f)",
                meanAndStd(), count(), over, low, high);
    }
}
