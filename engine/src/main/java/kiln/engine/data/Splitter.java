package kiln.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded, optionally stratified division of a data set into disjoint parts that cover it. */
public final class Splitter {

    private Splitter() { }

    /** Why these fractions cannot split data, or null. */
    public static String check(double validation, double test) {
        if (!(validation >= 0 && validation < 1)) return "Validation fraction is " + validation + "; use 0 to below 1 (0.1 is usual).";
        if (!(test >= 0 && test < 1)) return "Test fraction is " + test + "; use 0 to below 1 (0.2 is usual).";
        if (validation + test >= 1) return "Validation and test fractions add up to " + (validation + test)
                + ", leaving nothing to train on; keep their sum below 1.";
        return null;
    }

    /**
     * Index lists for each fraction in order and the rest last: split(d, [0.1, 0.2]) gives validation,
     * test and train indices. Each part keeps the original order of its samples.
     */
    public static int[][] split(Dataset d, double[] fractions, long seed, boolean stratified) {
        List<List<Integer>> groups = groups(d, stratified);
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k <= fractions.length; k++) parts.add(new ArrayList<>());
        Random rnd = new Random(seed);
        for (List<Integer> group : groups) {
            java.util.Collections.shuffle(group, rnd);
            int start = 0;
            for (int k = 0; k < fractions.length; k++) {
                int n = (int) Math.round(group.size() * fractions[k]);
                n = Math.min(n, group.size() - start);
                parts.get(k).addAll(group.subList(start, start + n));
                start += n;
            }
            parts.get(fractions.length).addAll(group.subList(start, group.size()));
        }
        return sorted(parts);
    }

    /** Each list of indices as a sorted array. */
    static int[][] sorted(List<List<Integer>> parts) {
        int[][] out = new int[parts.size()][];
        for (int k = 0; k < parts.size(); k++) {
            out[k] = parts.get(k).stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(out[k]);
        }
        return out;
    }

    /** The sample indices by class when stratified, else all in one group; each in the original order. */
    static List<List<Integer>> groups(Dataset d, boolean stratified) {
        List<List<Integer>> groups = new ArrayList<>();
        if (stratified) {
            for (int c = 0; c < d.classCount(); c++) groups.add(new ArrayList<>());
            for (int i = 0; i < d.size(); i++) groups.get(d.labels()[i]).add(i);
        } else {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) all.add(i);
            groups.add(all);
        }
        return groups;
    }

    /**
     * Exactly {@code n} indices of {@code d} (all of them when it has fewer), drawn with the seed; when stratified,
     * each class gets its share in proportion (largest remainders get the rounding). In the original order.
     */
    public static int[] take(Dataset d, int n, long seed, boolean stratified) {
        if (n >= d.size()) return java.util.stream.IntStream.range(0, d.size()).toArray();
        List<List<Integer>> groups = groups(d, stratified);
        int[] quota = new int[groups.size()];
        double[] remainder = new double[groups.size()];
        int given = 0;
        for (int g = 0; g < groups.size(); g++) {
            double exact = (double) n * groups.get(g).size() / d.size();
            quota[g] = (int) Math.floor(exact);
            remainder[g] = exact - quota[g];
            given += quota[g];
        }
        while (given < n) {
            int best = 0;
            for (int g = 1; g < groups.size(); g++) if (remainder[g] > remainder[best]) best = g;
            quota[best]++;
            remainder[best] = -1;
            given++;
        }
        Random rnd = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            java.util.Collections.shuffle(groups.get(g), rnd);
            out.addAll(groups.get(g).subList(0, quota[g]));
        }
        int[] kept = out.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }
}
