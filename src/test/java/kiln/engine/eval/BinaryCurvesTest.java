package kiln.engine.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ROC and precision–recall curves, their areas and the decision threshold, against values worked out by hand. */
class BinaryCurvesTest {

    private static final double EPS = 1e-9;

    /**
     * Six samples, probability of class 1 and the true class: 0.9 (1), 0.8 (0), 0.8 (1), 0.6 (1), 0.3 (0), 0.1 (0),
     * listed out of order so that sorting and the tie at 0.8 matter.
     */
    private static Evaluation sixWithATie() {
        float[] p1 = {0.3f, 0.8f, 0.1f, 0.9f, 0.6f, 0.8f};
        int[] actual = {0, 1, 0, 1, 1, 0};
        float[] probabilities = new float[12];
        for (int i = 0; i < 6; i++) {
            probabilities[2 * i] = 1 - p1[i];
            probabilities[2 * i + 1] = p1[i];
        }
        return new Evaluation(List.of("no", "yes"), actual, probabilities);
    }

    @Test
    void rocCurveStepsOverTiesAsOnePoint() {
        BinaryCurves c = BinaryCurves.of(sixWithATie());
        assertArrayEquals(new double[] {0.9f, 0.8f, 0.6f, 0.3f, 0.1f}, c.thresholds(), EPS);
        // the tie at 0.8 takes one positive and one negative at once: (0, 1/3) → (1/3, 2/3), a diagonal step
        assertArrayEquals(new double[] {0, 0, 1 / 3.0, 1 / 3.0, 2 / 3.0, 1}, c.falsePositiveRate(), EPS);
        assertArrayEquals(new double[] {0, 1 / 3.0, 2 / 3.0, 1, 1, 1}, c.truePositiveRate(), EPS);
        assertArrayEquals(new double[] {1, 2 / 3.0, 3 / 4.0, 3 / 5.0, 1 / 2.0}, c.precision(), EPS);
    }

    @Test
    void rocAucByTrapezoidsCountsATieAsOneHalf() {
        // trapezoids: 1/3 · (1/3 + 2/3) / 2 + 1/3 + 1/3 = 5/6; by pairs: (3 + 2.5 + 2) / 9 = 7.5 / 9
        assertEquals(5 / 6.0, BinaryCurves.of(sixWithATie()).rocAuc(), EPS);
    }

    @Test
    void prAucIsAveragePrecision() {
        // recall steps 1/3 at precision 1, 1/3 at 2/3 and 1/3 at 3/4: 1/3 + 2/9 + 1/4 = 29/36
        assertEquals(29 / 36.0, BinaryCurves.of(sixWithATie()).averagePrecision(), EPS);
    }

    @Test
    void aPerfectRankingHasAreaOneAndTheSampleOrderDoesNotMatter() {
        BinaryCurves c = BinaryCurves.of(new float[] {0.2f, 0.9f, 0.1f, 0.7f}, new int[] {0, 1, 0, 1});
        assertEquals(1, c.rocAuc(), EPS);
        assertEquals(1, c.averagePrecision(), EPS);
        BinaryCurves reversed = BinaryCurves.of(new float[] {0.7f, 0.1f, 0.9f, 0.2f}, new int[] {1, 0, 1, 0});
        assertEquals(c.rocAuc(), reversed.rocAuc(), EPS);
    }

    @Test
    void allScoresTiedGiveTheChanceDiagonal() {
        BinaryCurves c = BinaryCurves.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new int[] {0, 1, 1, 0});
        assertEquals(0.5, c.rocAuc(), EPS);
        assertEquals(0.5, c.averagePrecision(), EPS, "one step to recall 1 at precision 2/4");
    }

    @Test
    void areasOfASingleClassAreNotDefinedAndSaySo() {
        BinaryCurves c = BinaryCurves.of(new float[] {0.2f, 0.4f}, new int[] {0, 0});
        assertTrue(Double.isNaN(c.rocAuc()));
        assertTrue(Double.isNaN(c.averagePrecision()));
        assertEquals("the test split has no sample of class yes", c.undefinedReason(List.of("no", "yes")));
    }

    @Test
    void theThresholdMovesThePointOnEachCurve() {
        BinaryCurves c = BinaryCurves.of(sixWithATie());
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0}, c.rocPointAt(0.7), EPS);
        assertArrayEquals(new double[] {2 / 3.0, 2 / 3.0}, c.prPointAt(0.7), EPS);
        assertArrayEquals(new double[] {0, 0}, c.rocPointAt(0.95), EPS);
        assertArrayEquals(new double[] {1, 1}, c.rocPointAt(0.0), EPS);
    }

    @Test
    void theThresholdChangesTheConfusionMatrixAndTheMetrics() {
        Evaluation e = sixWithATie();
        // at 0.7: 0.9, 0.8 and 0.8 say yes: TP 2, FP 1, FN 1 (the 0.6), TN 2
        Evaluation at07 = e.withThreshold(0.7);
        assertArrayEquals(new int[][] {{2, 1}, {1, 2}}, at07.confusion());
        Evaluation.ClassMetrics yes = at07.perClass().get(1);
        assertEquals(2 / 3.0, yes.precision(), EPS);
        assertEquals(2 / 3.0, yes.recall(), EPS);
        assertEquals(2 / 3.0, yes.f1(), EPS);
        assertEquals(4 / 6.0, at07.accuracy(), EPS);
        // at 0.5 the 0.6 says yes too: TP 3, FP 1, so precision 3/4, recall 1, F1 6/7
        Evaluation at05 = e.withThreshold(0.5);
        assertArrayEquals(new int[][] {{2, 1}, {0, 3}}, at05.confusion());
        assertEquals(3 / 4.0, at05.perClass().get(1).precision(), EPS);
        assertEquals(1, at05.perClass().get(1).recall(), EPS);
        assertEquals(6 / 7.0, at05.perClass().get(1).f1(), EPS);
        // a probability exactly at the threshold says yes
        assertEquals(1, e.withThreshold(0.8f).predicted(5));
        assertEquals(List.of(5), at07.samplesIn(0, 1), "the negative at 0.8 is the false positive");
    }

    @Test
    void aThresholdNeedsTwoClassesAndAProbability() {
        Evaluation three = new Evaluation(List.of("a", "b", "c"), new int[] {0}, new float[] {0.2f, 0.3f, 0.5f});
        assertThrows(IllegalArgumentException.class, () -> three.withThreshold(0.5));
        assertThrows(IllegalArgumentException.class, () -> sixWithATie().withThreshold(1.5));
    }

    @Test
    void predictionsFileHasOneRowPerSampleWithEveryProbability() {
        String csv = PredictionsFile.csv(sixWithATie().withThreshold(0.7));
        List<String> lines = csv.lines().toList();
        assertEquals("index,true,predicted,p_no,p_yes", lines.get(0));
        assertEquals(7, lines.size());
        assertEquals("0,no,no,0.700000,0.300000", lines.get(1));
        assertEquals("1,yes,yes,0.200000,0.800000", lines.get(2));
        assertEquals("4,yes,no,0.400000,0.600000", lines.get(5), "below the threshold 0.7");
        assertEquals("\"a,b\"", PredictionsFile.quoted("a,b"));
    }
}
