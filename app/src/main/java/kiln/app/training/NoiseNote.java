package kiln.app.training;

import kiln.engine.eval.GroupTraining;
import kiln.engine.eval.SeedSummary;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * In plain words, whether the test accuracies of two compared runs differ by more than the seed-to-seed noise: measured
 * by a repeat (the group of one of the two runs, else the newest repeat of the project), or, with no repeat, that a
 * single run per setting cannot tell.
 */
final class NoiseNote {

    private NoiseNote() { }

    /** The note for runs {@code a} and {@code b}; empty when either has no test accuracy. */
    static String describe(RunRow a, RunRow b, List<RunGroups.Group> groups) {
        if (a.record() == null || b.record() == null) return "";
        double x = a.record().testAccuracy();
        double y = b.record().testAccuracy();
        if (!Double.isFinite(x) || !Double.isFinite(y)) return "";
        String gap = String.format(Locale.ROOT, "%.2f percentage points", 100 * Math.abs(x - y));
        Optional<RunGroups.Group> same = RunGroups.of(groups, a).filter(g -> g.contains(b));
        if (same.isPresent() && same.get().kind() == GroupTraining.Kind.REPEAT) {
            return "These two differ only in their seed (both in " + same.get().name() + "): their " + gap
                    + " apart is seed-to-seed noise.";
        }
        Optional<RunGroups.Group> repeat = noiseFrom(groups, a).or(() -> noiseFrom(groups, b)).or(() -> newestRepeat(groups));
        if (repeat.isEmpty()) {
            return "Their test accuracies are " + gap + " apart. One run per setting cannot tell seed-to-seed noise "
                    + "from a real difference; use Repeat with N seeds… on each setting to measure the noise.";
        }
        SeedSummary s = repeat.get().summary();
        String noise = String.format(Locale.ROOT, "the seed-to-seed spread measured by %s (std %.2f points over %d seeds)",
                repeat.get().name(), 100 * s.std(), s.count());
        return s.withinNoise(x, y)
                ? "Their test accuracies are " + gap + " apart, less than twice " + noise + ": within the noise, so "
                        + "this pair does not show that one setting is better."
                : "Their test accuracies are " + gap + " apart, more than twice " + noise + ": likely a real "
                        + "difference, though repeating both settings would make sure.";
    }

    private static Optional<RunGroups.Group> noiseFrom(List<RunGroups.Group> groups, RunRow r) {
        return RunGroups.of(groups, r).filter(NoiseNote::measuresNoise);
    }

    private static Optional<RunGroups.Group> newestRepeat(List<RunGroups.Group> groups) {
        return groups.stream().filter(NoiseNote::measuresNoise).reduce((first, second) -> second);
    }

    private static boolean measuresNoise(RunGroups.Group g) {
        return g.kind() == GroupTraining.Kind.REPEAT && g.summary() != null;
    }
}
