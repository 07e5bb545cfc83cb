package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.Arrays;
import java.util.function.IntFunction;

/** Small helpers the cleaning steps share. */
final class Cleaning {

    private Cleaning() { }

    /** The data without the samples marked in {@code drop}, and the dropped indices. */
    static Dataset without(Dataset d, boolean[] drop) {
        int kept = 0;
        for (boolean b : drop) if (!b) kept++;
        int[] keep = new int[kept];
        for (int i = 0, k = 0; i < drop.length; i++) if (!drop[i]) keep[k++] = i;
        return kept == d.size() ? d : d.select(keep, d.source());
    }

    /** The data without the samples marked in {@code drop}, reported as removed; {@code summary} of how many. */
    static StepType.Cleaned dropped(String step, Dataset d, boolean[] drop, IntFunction<String> summary) {
        int[] removed = indices(drop);
        return new StepType.Cleaned(without(d, drop),
                new CleaningReport(step, removed, new int[0], new int[0], summary.apply(removed.length)));
    }

    static int[] indices(boolean[] marks) {
        return java.util.stream.IntStream.range(0, marks.length).filter(i -> marks[i]).toArray();
    }

    static boolean hasNaN(float[] f, int from, int length) {
        for (int i = from; i < from + length; i++) if (f[i] != f[i]) return true;
        return false;
    }

    static String count(int n, String singular, String plural) {
        return String.format(java.util.Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** Exact equality of two samples' values (NaN equals NaN, as a missing cell matches a missing cell). */
    static boolean sameValues(float[] f, int a, int b, int per) {
        return Arrays.equals(f, a * per, a * per + per, f, b * per, b * per + per);
    }
}
