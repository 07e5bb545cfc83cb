package kiln.engine.train;

import kiln.engine.runs.LayerDynamics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Reads how the layers learned in a run's latest measured epoch and says, in plain words, what is wrong inside:
 * vanishing or exploding gradients, units that never fire, steps too large for a layer. Pure, like {@link CurveHints}.
 */
public final class LayerHints {

    /** Gradients per weight that differ this much between an earlier and a later layer. */
    static final double GRADIENT_GAP = 100;
    /** Share of a layer's units that output 0 for a whole batch. */
    static final double DEAD_SHARE = 0.5;
    /** A step that changes a layer's weights by more than this share (about 0.001 is healthy). */
    static final double LARGE_STEP = 0.03;

    private LayerHints() { }

    /** Hints from the rows of the latest epoch in {@code rows} (a run's whole dynamics.csv may be given). */
    public static List<CurveHints.Hint> of(List<LayerDynamics> rows) {
        List<CurveHints.Hint> hints = new ArrayList<>();
        if (rows.isEmpty()) return hints;
        int epoch = rows.stream().mapToInt(LayerDynamics::epoch).max().orElseThrow();
        // Layers that learn: they have weights, and they moved (a frozen layer's step is exactly 0).
        List<LayerDynamics> learning = rows.stream()
                .filter(d -> d.epoch() == epoch && d.parameters() > 0 && d.updateRatio() > 0 && d.gradientNorm() > 0)
                .toList();
        if (learning.size() >= 2) gradientGap(learning, hints);
        // The last learning layer is the output, whose units are classes, not features that can die.
        List<LayerDynamics> hidden = learning.subList(0, Math.max(0, learning.size() - 1));
        List<LayerDynamics> dead = hidden.stream().filter(d -> d.deadShare() >= DEAD_SHARE).toList();
        if (!dead.isEmpty()) {
            LayerDynamics worst = dead.stream().max(Comparator.comparingDouble(LayerDynamics::deadShare)).orElseThrow();
            String others = dead.size() == 1 ? "" : " (also " + dead.stream().filter(d -> d != worst)
                    .map(d -> String.format(Locale.ROOT, "%s %.0f %%", d.layer(), 100 * d.deadShare()))
                    .collect(Collectors.joining(", ")) + ")";
            hints.add(new CurveHints.Hint(CurveHints.Kind.DEAD_UNITS,
                    String.format(Locale.ROOT, "%.0f %% of %s's units never fire", 100 * worst.deadShare(), worst.layer()),
                    String.format(Locale.ROOT, "In epoch %d, %.0f %% of %s's units gave 0 for every sample of a training "
                                    + "batch%s: dead ReLUs, which get no gradient and stop learning. Lower the learning "
                                    + "rate, or use leaky_relu as the activation.",
                            epoch, 100 * worst.deadShare(), worst.layer(), others)));
        }
        learning.stream().filter(d -> d.updateRatio() > LARGE_STEP)
                .max(Comparator.comparingDouble(LayerDynamics::updateRatio))
                .ifPresent(d -> hints.add(new CurveHints.Hint(CurveHints.Kind.LARGE_STEPS,
                        "Large steps in " + d.layer(),
                        String.format(Locale.ROOT, "In epoch %d one step changed %s's weights by %.1f %% (about 0.1 %% "
                                        + "is healthy): the learning rate is large for this layer, and training may "
                                        + "jump around. Lower the learning rate, or this layer's rate multiplier.",
                                epoch, d.layer(), 100 * d.updateRatio()))));
        return hints;
    }

    /** An earlier and a later layer, and how many times larger the first one's gradient per weight is. */
    private record Gap(LayerDynamics early, LayerDynamics late, double ratio) { }

    /** Vanishing or exploding gradients: the largest ratio of gradient per weight between two layers, either way. */
    private static void gradientGap(List<LayerDynamics> layers, List<CurveHints.Hint> hints) {
        Gap[] gaps = gaps(layers);
        if (gaps[0].ratio() >= GRADIENT_GAP) {
            hints.add(gapHint(CurveHints.Kind.VANISHING_GRADIENTS, "Vanishing", gaps[0], "smaller",
                    "the early layers hardly learn. Use relu instead of sigmoid or tanh, add BatchNorm, make the "
                            + "network shallower, or add residual connections (Add)."));
        }
        if (gaps[1].ratio() >= GRADIENT_GAP) {
            hints.add(gapHint(CurveHints.Kind.EXPLODING_GRADIENTS, "Exploding", gaps[1], "larger",
                    "the steps grow towards the input and training becomes unstable. Lower the learning rate, add "
                            + "BatchNorm, or use L2."));
        }
    }

    /** The largest vanishing and the largest exploding ratio of gradient per weight between two layers. */
    private static Gap[] gaps(List<LayerDynamics> layers) {
        Gap vanishing = new Gap(null, null, 0);
        Gap exploding = new Gap(null, null, 0);
        for (int i = 0; i < layers.size(); i++) {
            for (int j = i + 1; j < layers.size(); j++) {
                LayerDynamics early = layers.get(i);
                LayerDynamics late = layers.get(j);
                double ratio = early.gradientRms() / late.gradientRms();
                if (1 / ratio > vanishing.ratio()) vanishing = new Gap(early, late, 1 / ratio);
                if (ratio > exploding.ratio()) exploding = new Gap(early, late, ratio);
            }
        }
        return new Gap[] {vanishing, exploding};
    }

    /**
     * The layers the hints are about, in the latest epoch, each with its trouble in a few words ("62 % of units
     * never fire", "large steps"), for tables and the canvas to mark them. Empty when all is well.
     */
    public static Map<String, String> concerns(List<LayerDynamics> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rows.isEmpty()) return out;
        int epoch = rows.stream().mapToInt(LayerDynamics::epoch).max().orElseThrow();
        List<LayerDynamics> learning = rows.stream()
                .filter(d -> d.epoch() == epoch && d.parameters() > 0 && d.updateRatio() > 0 && d.gradientNorm() > 0)
                .toList();
        BiConsumer<String, String> add = (layer, what) -> out.merge(layer, what, (a, b) -> a + "; " + b);
        if (learning.size() >= 2) {
            Gap[] gaps = gaps(learning);
            if (gaps[0].ratio() >= GRADIENT_GAP) add.accept(gaps[0].early().layer(), "vanishing gradients");
            if (gaps[1].ratio() >= GRADIENT_GAP) add.accept(gaps[1].early().layer(), "exploding gradients");
        }
        for (LayerDynamics d : learning.subList(0, Math.max(0, learning.size() - 1))) {
            if (d.deadShare() >= DEAD_SHARE) {
                add.accept(d.layer(), String.format(Locale.ROOT, "%.0f %% of units never fire", 100 * d.deadShare()));
            }
        }
        for (LayerDynamics d : learning) if (d.updateRatio() > LARGE_STEP) add.accept(d.layer(), "large steps");
        return out;
    }

    private static CurveHints.Hint gapHint(CurveHints.Kind kind, String what, Gap gap, String comparison, String advice) {
        return new CurveHints.Hint(kind, what + " gradients in " + gap.early().layer(),
                String.format(Locale.ROOT, "%s's gradients are %s× %s than %s's (per weight): %s", gap.early().layer(),
                        times(gap.ratio()), comparison, gap.late().layer(), advice));
    }

    /** 240,000 rather than 241,837.2: two significant digits are what the student needs. */
    static String times(double ratio) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(ratio)) - 1);
        return String.format(Locale.ROOT, "%,.0f", Math.round(ratio / magnitude) * magnitude);
    }
}
