package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.List;

/** Drops rows with any missing value (empty, NA, NaN or ? in the CSV). */
public final class DropMissingStep extends AbstractStep {

    public static final String ID = "drop_missing";

    public DropMissingStep() {
        super(ID, "Drop rows with missing values", Kind.CLEANING, List.of(),
                "Removes every row that has an empty cell (or NA, NaN, ?). Simple and safe when few rows are "
                        + "affected; when many are, fill the values instead.");
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        return Cleaner.of("drops rows with a missing value", d -> {
            int per = d.sampleLength();
            boolean[] drop = new boolean[d.size()];
            for (int i = 0; i < d.size(); i++) drop[i] = Cleaning.hasNaN(d.features(), i * per, per);
            return Cleaning.dropped(displayName(), d, drop, n -> "dropped " + Cleaning.count(n, "row", "rows")
                    + " with missing values of " + String.format(java.util.Locale.ROOT, "%,d", d.size()));
        });
    }
}
