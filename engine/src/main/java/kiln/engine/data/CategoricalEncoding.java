package kiln.engine.data;

import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-hot encoding of a CSV's categorical columns, with the categories the training split holds: each categorical
 * column becomes one 0/1 value per category seen in training plus an "other" value for categories that only the
 * validation or test split (or a new row) holds. A missing cell makes all of its column's values missing, for the
 * cleaning steps to fill or drop. Numeric columns pass through unchanged, in the file's column order.
 */
public final class CategoricalEncoding {

    /** The name of the slot for categories the training split did not hold. */
    public static final String OTHER = "other";

    private final CsvReader.Report read;
    /** Per read feature column: for a categorical one, the slot of each code (the index among the file's values); else null. */
    private final List<int[]> slotOfCode = new ArrayList<>();
    private final List<List<String>> vocabulary = new ArrayList<>();
    private final int width;

    private CategoricalEncoding(CsvReader.Report read, Dataset train) {
        this.read = read;
        Map<String, CsvReader.Column> byName = new LinkedHashMap<>();
        for (CsvReader.Column c : read.columns()) byName.put(c.name(), c);
        int d = read.featureColumns().size();
        int w = 0;
        for (int col = 0; col < d; col++) {
            CsvReader.Column column = byName.get(read.featureColumns().get(col));
            if (column.kind() != CsvReader.Kind.CATEGORICAL) {
                slotOfCode.add(null);
                vocabulary.add(List.of());
                w++;
                continue;
            }
            boolean[] seen = new boolean[column.values().size()];
            for (int r = 0; r < train.size(); r++) {
                float code = train.features()[r * d + col];
                if (!Float.isNaN(code)) seen[(int) code] = true;
            }
            int[] slots = new int[seen.length];
            List<String> kept = new ArrayList<>();
            for (int k = 0; k < seen.length; k++) {
                slots[k] = seen[k] ? kept.size() : -1;
                if (seen[k]) kept.add(column.values().get(k));
            }
            for (int k = 0; k < seen.length; k++) if (slots[k] < 0) slots[k] = kept.size(); // "other"
            slotOfCode.add(slots);
            vocabulary.add(List.copyOf(kept));
            w += kept.size() + 1;
        }
        width = w;
    }

    /** The encoding of {@code read}'s categorical columns with the categories of {@code train} (read by the same reader). */
    public static CategoricalEncoding fit(Dataset train, CsvReader.Report read) {
        return new CategoricalEncoding(read, train);
    }

    public boolean isIdentity() {
        return slotOfCode.stream().allMatch(s -> s == null);
    }

    /** The samples with their categorical columns one-hot encoded. */
    public Dataset apply(Dataset d) {
        if (isIdentity()) return d;
        int in = read.featureColumns().size();
        float[] out = new float[d.size() * width];
        for (int r = 0; r < d.size(); r++) {
            int o = r * width;
            for (int col = 0; col < in; col++) {
                float v = d.features()[r * in + col];
                int[] slots = slotOfCode.get(col);
                if (slots == null) {
                    out[o++] = v;
                    continue;
                }
                int n = vocabulary.get(col).size() + 1;
                if (Float.isNaN(v)) {
                    for (int k = 0; k < n; k++) out[o + k] = Float.NaN;
                } else {
                    out[o + slots[(int) v]] = 1;
                }
                o += n;
            }
        }
        return d.withFeatures(TensorShape.vector(width), out);
    }

    /**
     * The reader's report as the network sees the data: one feature name per value ("colour=red", "colour=other"),
     * categorical columns listing the training split's categories, missing counts per source column as read.
     */
    public CsvReader.Report report() {
        if (isIdentity()) return read;
        List<String> names = new ArrayList<>();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (int col = 0; col < read.featureColumns().size(); col++) {
            String name = read.featureColumns().get(col);
            if (slotOfCode.get(col) == null) {
                names.add(name);
                continue;
            }
            for (String v : vocabulary.get(col)) names.add(name + "=" + v);
            names.add(name + "=" + OTHER);
            kept.put(name, vocabulary.get(col));
        }
        List<CsvReader.Column> columns = new ArrayList<>();
        for (CsvReader.Column c : read.columns()) {
            columns.add(kept.containsKey(c.name()) ? new CsvReader.Column(c.name(), c.kind(), kept.get(c.name()), c.note()) : c);
        }
        return new CsvReader.Report(List.copyOf(names), read.missingPerColumn(), read.firstMissingLines(), read.leftOut(),
                List.copyOf(columns), read.target());
    }
}
