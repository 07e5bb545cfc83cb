package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fills missing values per column with the training split's mean, median or most frequent value, or a constant. */
public final class FillMissingStep extends AbstractStep {

    public static final String ID = "fill_missing";

    public FillMissingStep() {
        super(ID, "Fill missing values", Kind.CLEANING, List.of(
                ParamSpec.choice("strategy", "Fill with", "mean", List.of("mean", "median", "most_frequent", "constant"),
                        "mean or median of the column (median resists outliers), its most frequent value, or a constant."),
                ParamSpec.decimal("value", "Constant", 0, -1e9, 1e9, "The value used when Fill with is constant.")),
                "Replaces empty cells with a value per column: the mean, median or most frequent value of the "
                        + "training split, or a constant. Keeps every row.");
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        String strategy = params.getString("strategy");
        int per = train.sampleLength();
        float[] fill = new float[per];
        for (int c = 0; c < per; c++) fill[c] = columnValue(train, c, strategy, (float) params.getDouble("value"));
        String description = "missing values → " + strategy.replace('_', ' ') + " per column " + Groups.list(fill)
                + (strategy.equals("constant") ? "" : " (from the training split)");
        return Cleaner.of(description, d -> {
            float[] f = d.features().clone();
            boolean[] changed = new boolean[d.size()];
            int filled = 0;
            for (int i = 0; i < f.length; i++) {
                if (f[i] != f[i]) {
                    f[i] = fill[i % per];
                    changed[i / per] = true;
                    filled++;
                }
            }
            int[] rows = Cleaning.indices(changed);
            Dataset out = filled == 0 ? d : new Dataset(d.sampleShape(), f, d.labels(), d.classNames(), d.source());
            return new Cleaned(out, new CleaningReport(displayName(), new int[0], rows, new int[0],
                    "filled " + Cleaning.count(filled, "missing value", "missing values") + " in "
                            + Cleaning.count(rows.length, "row", "rows")));
        });
    }

    /** The fill value of column c; a column with no values at all in the training split gets 0. */
    static float columnValue(Dataset train, int c, String strategy, float constant) {
        if (strategy.equals("constant")) return constant;
        int per = train.sampleLength();
        float[] f = train.features();
        float[] col = new float[train.size()];
        int n = 0;
        for (int s = 0; s < train.size(); s++) {
            float v = f[s * per + c];
            if (v == v) col[n++] = v;
        }
        if (n == 0) return 0;
        switch (strategy) {
            case "mean" -> {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += col[i];
                return (float) (sum / n);
            }
            case "median" -> {
                float[] sorted = Arrays.copyOf(col, n);
                Arrays.sort(sorted);
                return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            }
            default -> {
                // most frequent; ties go to the smallest value so the result does not depend on row order
                Map<Float, Integer> counts = new HashMap<>();
                for (int i = 0; i < n; i++) counts.merge(col[i], 1, Integer::sum);
                float best = Float.NaN;
                int bestCount = -1;
                for (Map.Entry<Float, Integer> e : counts.entrySet()) {
                    if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey() < best) {
                        best = e.getKey();
                        bestCount = e.getValue();
                    }
                }
                return best;
            }
        }
    }
}
