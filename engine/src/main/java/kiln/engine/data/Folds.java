package kiln.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * k-fold cross-validation: the training and validation data pooled and dealt into k disjoint folds (stratified:
 * every class spread over the folds within one sample); fold i validates on fold i and trains on the others.
 * The test split is never part of a fold.
 */
public final class Folds {

    private Folds() { }

    /** Why {@code k} folds cannot be made from {@code pool}, or null. Classes without samples do not count. */
    public static String check(Dataset pool, int k, boolean stratified) {
        if (k < 2) return "fold count " + k + " is too small; use at least 2 folds (5 or 10 are usual)";
        if (k > pool.size()) {
            return "fold count " + k + " is larger than the " + pool.size() + " training and validation samples; use at most "
                    + pool.size() + " folds";
        }
        if (!stratified) return null;
        int[] counts = pool.classCounts();
        int smallest = -1;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && (smallest < 0 || counts[c] < counts[smallest])) smallest = c;
        }
        if (smallest >= 0 && counts[smallest] < k) {
            return "fold count " + k + " is larger than the " + counts[smallest] + " samples of class '"
                    + pool.classNames().get(smallest) + "'; use at most " + counts[smallest] + " folds";
        }
        return null;
    }

    /**
     * The indices of {@code pool} in each of {@code k} folds, each sorted. Each class is shuffled with the seed and
     * dealt round-robin, the next class starting where the last stopped, so that fold sizes also differ by at most 1.
     */
    public static int[][] assign(Dataset pool, int k, long seed, boolean stratified) {
        String problem = check(pool, k, stratified);
        if (problem != null) throw new IllegalArgumentException(problem);
        List<List<Integer>> groups = Splitter.groups(pool, stratified);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) folds.add(new ArrayList<>());
        Random rnd = new Random(seed);
        int next = 0;
        for (List<Integer> group : groups) {
            Collections.shuffle(group, rnd);
            for (int i : group) {
                folds.get(next).add(i);
                next = (next + 1) % k;
            }
        }
        return Splitter.sorted(folds);
    }

    /** The training and validation splits as one data set, training samples first. */
    public static Dataset pool(DataSplits splits) {
        Dataset train = splits.train();
        Dataset validation = splits.validation();
        float[] features = Arrays.copyOf(train.features(), train.features().length + validation.features().length);
        System.arraycopy(validation.features(), 0, features, train.features().length, validation.features().length);
        int[] labels = Arrays.copyOf(train.labels(), train.size() + validation.size());
        System.arraycopy(validation.labels(), 0, labels, train.size(), validation.size());
        return new Dataset(train.sampleShape(), features, labels, train.classNames(),
                train.source() + " with the validation split");
    }

    /**
     * The splits of each fold: train on every other fold, validate on this one, test on the untouched test split.
     * @throws IllegalArgumentException with a message for the user when the folds cannot be made
     */
    public static List<DataSplits> splits(DataSplits raw, int k, long seed, boolean stratified) {
        Dataset pool = pool(raw);
        int[][] folds = assign(pool, k, seed, stratified);
        List<DataSplits> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int[] rest = new int[pool.size() - folds[f].length];
            int n = 0;
            for (int g = 0; g < k; g++) {
                if (g == f) continue;
                for (int i : folds[g]) rest[n++] = i;
            }
            Arrays.sort(rest);
            String name = "fold " + (f + 1) + " of " + k;
            out.add(new DataSplits(pool.select(rest, pool.source() + " (" + name + ", training)"),
                    pool.select(folds[f], pool.source() + " (" + name + ", validation)"), raw.test()));
        }
        return out;
    }
}
