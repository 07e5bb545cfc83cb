package kiln.engine.data.pipeline;

/**
 * Counts of values in equal-width bins between min and max, with the values' mean and standard deviation.
 * NaN values are left out.
 */
public record Histogram(double min, double max, long[] counts, double mean, double std, long total) {

    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public static Histogram of(float[] values, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (float v : values) {
            if (v != v) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            sum += v;
            sumSq += (double) v * v;
            n++;
        }
        long[] counts = new long[bins];
        if (n == 0) return new Histogram(0, 0, counts, Double.NaN, Double.NaN, 0);
        double width = hi > lo ? (hi - lo) / bins : 1;
        for (float v : values) {
            if (v != v) continue;
            int b = (int) ((v - lo) / width);
            counts[Math.min(Math.max(b, 0), bins - 1)]++;
        }
        double mean = sum / n;
        return new Histogram(lo, hi, counts, mean, Math.sqrt(Math.max(sumSq / n - mean * mean, 0)), n);
    }
}
