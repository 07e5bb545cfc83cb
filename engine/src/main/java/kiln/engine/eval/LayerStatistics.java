package kiln.engine.eval;

/** Summary of the values a layer produced: what a histogram or a "dead units" hint reads. */
public record LayerStatistics(long count, double mean, double std, double min, double max, double zeroShare) {

    public static LayerStatistics of(float[] values) {
        if (values.length == 0) return new LayerStatistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        for (float v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0) zeros++;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float v : values) squares += (v - mean) * (v - mean);
        return new LayerStatistics(values.length, mean, Math.sqrt(squares / values.length), min, max,
                (double) zeros / values.length);
    }
}
