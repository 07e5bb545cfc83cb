package kiln.engine.train;

import kiln.engine.runs.LayerDynamics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerHintsTest {

    private static LayerDynamics row(int epoch, String layer, long params, double gradientNorm, double ratio, double dead) {
        return new LayerDynamics(epoch, layer, params, 10, gradientNorm, ratio, dead, 0.5, 1);
    }

    /** The MNIST CNN after one epoch on 4,000 images, as measured: nothing to say. */
    private static List<LayerDynamics> healthyCnn(int epoch) {
        return List.of(row(epoch, "conv1", 320, 0.144, 6.8e-4, 0), row(epoch, "pool1", 0, 0, 0, 0),
                row(epoch, "conv2", 18496, 0.640, 3.0e-3, 0), row(epoch, "conv3", 36928, 1.109, 3.6e-3, 0.156),
                row(epoch, "flatten", 0, 0, 0, 0.19), row(epoch, "dense1", 36928, 1.345, 2.5e-3, 0.33),
                row(epoch, "output", 650, 0.743, 9.7e-4, Double.NaN));
    }

    private static List<CurveHints.Kind> kinds(List<CurveHints.Hint> hints) {
        return hints.stream().map(CurveHints.Hint::kind).toList();
    }

    @Test
    void aHealthyNetworkGetsNoHint() {
        assertEquals(List.of(), LayerHints.of(healthyCnn(1)));
        assertEquals(List.of(), LayerHints.of(List.of()));
    }

    @Test
    void eightSigmoidLayersShowVanishingGradientsNamingTheLayersAndTheFactor() {
        // Gradient norms of an 8-layer sigmoid MLP trained with SGD for one epoch, as measured.
        List<LayerDynamics> rows = new ArrayList<>(List.of(row(1, "d1", 50240, 1.758e-5, 1.1e-6, 0)));
        double[] rms = {3.62e-7, 1.35e-6, 7.09e-6, 3.11e-5, 1.45e-4, 6.51e-4, 3.02e-3};
        for (int i = 0; i < rms.length; i++) rows.add(row(1, "d" + (i + 2), 4160, rms[i] * Math.sqrt(4160), 1e-5, 0));
        rows.add(row(1, "output", 650, 0.01915 * Math.sqrt(650), 0.028, Double.NaN));
        List<CurveHints.Hint> hints = LayerHints.of(rows);
        assertEquals(List.of(CurveHints.Kind.VANISHING_GRADIENTS), kinds(hints));
        assertEquals("Vanishing gradients in d1", hints.get(0).title());
        assertTrue(hints.get(0).text().startsWith("d1's gradients are 240,000× smaller than output's"), hints.get(0).text());
    }

    @Test
    void gradientsGrowingTowardsTheInputAreExploding() {
        List<CurveHints.Hint> hints = LayerHints.of(List.of(row(1, "a", 100, 500, 1e-3, 0), row(1, "b", 100, 1, 1e-3, 0)));
        assertEquals(List.of(CurveHints.Kind.EXPLODING_GRADIENTS), kinds(hints));
        assertTrue(hints.get(0).text().startsWith("a's gradients are 500× larger than b's"), hints.get(0).text());
    }

    @Test
    void deadUnitsAreReportedForHiddenLayersOnlyTheWorstFirst() {
        List<CurveHints.Hint> hints = LayerHints.of(List.of(row(2, "dense1", 100, 1, 1e-3, 0.6),
                row(2, "dense2", 100, 1, 1e-3, 0.8), row(2, "out", 30, 1, 1e-3, 1.0)));
        assertEquals(List.of(CurveHints.Kind.DEAD_UNITS), kinds(hints));
        assertEquals("80 % of dense2's units never fire", hints.get(0).title());
        assertTrue(hints.get(0).text().contains("(also dense1 60 %)"), hints.get(0).text());
    }

    @Test
    void onlyTheLatestEpochCountsAndFrozenLayersAreLeftOut() {
        List<LayerDynamics> rows = new ArrayList<>(List.of(row(1, "dense1", 100, 1, 0.2, 0.9), row(1, "out", 30, 1, 1e-3, 0)));
        rows.addAll(List.of(row(2, "dense1", 100, 1, 1e-3, 0), row(2, "out", 30, 1, 1e-3, 0)));
        assertEquals(List.of(), LayerHints.of(rows), "epoch 1's large steps and dead units were fixed by epoch 2");
        // A frozen backbone has no step and tiny gradients; that is by design, not vanishing.
        assertEquals(List.of(), LayerHints.of(List.of(row(1, "conv1", 320, 1e-9, 0, 0.9),
                row(1, "dense1", 100, 1, 1e-3, 0), row(1, "out", 30, 1, 1e-3, 0))));
    }

    @Test
    void largeStepsNameTheLayerAndItsShare() {
        List<CurveHints.Hint> hints = LayerHints.of(List.of(row(3, "dense1", 100, 1, 0.08, 0), row(3, "out", 30, 1, 0.05, 0)));
        assertEquals(List.of(CurveHints.Kind.LARGE_STEPS), kinds(hints));
        assertEquals("Large steps in dense1", hints.get(0).title());
        assertTrue(hints.get(0).text().contains("by 8.0 %"), hints.get(0).text());
    }

    @Test
    void factorsAreRoundedToTwoDigits() {
        assertEquals("240,000", LayerHints.times(241_837.2));
        assertEquals("100", LayerHints.times(100.4));
        assertEquals("1,500", LayerHints.times(1_479));
    }

    @Test
    void concernsNameEachLayerAHintIsAbout() {
        assertEquals(java.util.Map.of(), LayerHints.concerns(healthyCnn(1)));
        var concerns = LayerHints.concerns(List.of(row(2, "dense1", 100, 500, 0.08, 0.6),
                row(2, "dense2", 100, 1, 1e-3, 0.2), row(2, "out", 30, 1, 1e-3, 1.0)));
        assertEquals(java.util.Map.of("dense1", "exploding gradients; 60 % of units never fire; large steps"), concerns,
                "the output's units are classes, which do not die");
    }
}
