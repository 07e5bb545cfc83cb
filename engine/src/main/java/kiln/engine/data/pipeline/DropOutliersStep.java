package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Drops rows with a value far from its column's usual range, with limits from the training split:
 * z-score (|x − mean| > k·std) or the IQR rule (x outside [Q1 − k·IQR, Q3 + k·IQR]).
 */
public final class DropOutliersStep extends AbstractStep {

    public static final String ID = "drop_outliers";

    public DropOutliersStep() {
        super(ID, "Drop outlier rows", Kind.CLEANING, List.of(
                ParamSpec.choice("rule", "Rule", "iqr", List.of("iqr", "zscore"),
                        "iqr: outside the quartiles by more than k × IQR; zscore: more than k standard deviations from the mean."),
                ParamSpec.decimal("k", "k", 1.5, 0.1, 100, "How far counts as an outlier: 1.5 for IQR, 3 for z-score are usual.")),
                "Removes rows where some column is far outside its usual range. z-score: more than k standard "
                        + "deviations from the mean (k = 3 is usual). IQR: more than k times the interquartile range "
                        + "beyond the quartiles (k = 1.5 is Tukey's rule). Limits come from the training split.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        return needsVectors(in);
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        String rule = params.getString("rule");
        double k = params.getDouble("k");
        int per = train.sampleLength();
        float[] lo = new float[per];
        float[] hi = new float[per];
        for (int c = 0; c < per; c++) {
            float[] col = column(train, c);
            if (col.length == 0) {
                lo[c] = Float.NEGATIVE_INFINITY;
                hi[c] = Float.POSITIVE_INFINITY;
            } else if (rule.equals("iqr")) {
                Arrays.sort(col);
                double q1 = quantile(col, 0.25);
                double q3 = quantile(col, 0.75);
                lo[c] = (float) (q1 - k * (q3 - q1));
                hi[c] = (float) (q3 + k * (q3 - q1));
            } else {
                double mean = 0;
                for (float v : col) mean += v;
                mean /= col.length;
                double var = 0;
                for (float v : col) var += (v - mean) * (v - mean);
                double std = Math.sqrt(var / col.length);
                lo[c] = (float) (mean - k * std);
                hi[c] = (float) (mean + k * std);
            }
        }
        String description = "keeps rows with every column within "
                + (rule.equals("iqr") ? "[Q1 − k·IQR, Q3 + k·IQR]" : "mean ± k·std")
                + ", k = " + k + ": low " + Groups.list(lo) + ", high " + Groups.list(hi) + " (from the training split)";
        return Cleaner.of(description, d -> {
            float[] f = d.features();
            boolean[] drop = new boolean[d.size()];
            for (int i = 0; i < f.length; i++) {
                float v = f[i];
                int c = i % per;
                if (v < lo[c] || v > hi[c]) drop[i / per] = true;
            }
            return Cleaning.dropped(displayName(), d, drop, n -> "dropped " + Cleaning.count(n, "row", "rows")
                    + " with outliers (" + (rule.equals("iqr") ? "IQR rule" : "z-score") + ", k = " + k + ") of "
                    + String.format(Locale.ROOT, "%,d", d.size()));
        });
    }

    private static float[] column(Dataset d, int c) {
        int per = d.sampleLength();
        float[] out = new float[d.size()];
        int n = 0;
        for (int s = 0; s < d.size(); s++) {
            float v = d.features()[s * per + c];
            if (v == v) out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    /** Linear interpolation between closest ranks (NumPy's default), on sorted values. */
    static double quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }
}
