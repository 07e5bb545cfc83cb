package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drops samples that repeat an earlier sample of the same split exactly (same values, same label). */
public final class DropDuplicatesStep extends AbstractStep {

    public static final String ID = "drop_duplicates";

    public DropDuplicatesStep() {
        super(ID, "Drop exact duplicates", Kind.CLEANING, List.of(),
                "Removes images or rows that are exact copies of an earlier one with the same label, so repeated "
                        + "samples do not count twice. Copies with different labels are kept (and worth a look).");
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        return Cleaner.of("drops exact copies (same values and label) within each split", d -> {
            int per = d.sampleLength();
            float[] f = d.features();
            int[] labels = d.labels();
            boolean[] drop = new boolean[d.size()];
            Map<Integer, List<Integer>> seen = new HashMap<>();
            for (int i = 0; i < d.size(); i++) {
                int h = Arrays.hashCode(Arrays.copyOfRange(f, i * per, i * per + per)) * 31 + labels[i];
                List<Integer> same = seen.computeIfAbsent(h, k -> new ArrayList<>(1));
                for (int j : same) {
                    if (labels[j] == labels[i] && Cleaning.sameValues(f, i, j, per)) {
                        drop[i] = true;
                        break;
                    }
                }
                if (!drop[i]) same.add(i);
            }
            return Cleaning.dropped(displayName(), d, drop, n -> "dropped "
                    + Cleaning.count(n, "exact duplicate", "exact duplicates") + " of "
                    + String.format(java.util.Locale.ROOT, "%,d", d.size()) + " samples");
        });
    }
}
