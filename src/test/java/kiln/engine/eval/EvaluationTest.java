package kiln.engine.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Metrics on a crafted set of 8 predictions over 3 classes, every number worked out by hand:
 *
 * <pre>
 * sample  true  probabilities (a, b, c)   predicted  confidence
 *   0      a    0.7  0.2  0.1              a          0.7
 *   1      a    0.6  0.3  0.1              a          0.6
 *   2      a    0.2  0.7  0.1              b          0.7
 *   3      b    0.1  0.8  0.1              b          0.8
 *   4      b    0.3  0.3  0.4              c          0.4
 *   5      b    0.9  0.05 0.05             a          0.9
 *   6      c    0.1  0.1  0.8              c          0.8
 *   7      b    0.2  0.5  0.3              b          0.5
 *
 * confusion (rows true, columns predicted):  a: 2 1 0   b: 1 2 1   c: 0 0 1
 * a: precision 2/3, recall 2/3, F1 2/3, support 3
 * b: precision 2/3, recall 2/4, F1 2·(2/3)(1/2)/(2/3+1/2) = 4/7, support 4
 * c: precision 1/2, recall 1/1, F1 2·(1/2)(1)/(3/2) = 2/3, support 1
 * accuracy 5/8; macro precision (2/3+2/3+1/2)/3 = 11/18, recall (2/3+1/2+1)/3 = 13/18, F1 (2/3+4/7+2/3)/3 = (14+12+14)/63 = 40/63
 * weighted precision (3·2/3+4·2/3+1·1/2)/8 = 31/48, recall 5/8, F1 (3·2/3+4·4/7+1·2/3)/8 = 104/168
 * </pre>
 */
class EvaluationTest {

    static final double EPS = 1e-6;

    static Evaluation crafted() {
        float[] p = {
                0.7f, 0.2f, 0.1f,
                0.6f, 0.3f, 0.1f,
                0.2f, 0.7f, 0.1f,
                0.1f, 0.8f, 0.1f,
                0.3f, 0.3f, 0.4f,
                0.9f, 0.05f, 0.05f,
                0.1f, 0.1f, 0.8f,
                0.2f, 0.5f, 0.3f};
        return new Evaluation(List.of("a", "b", "c"), new int[] {0, 0, 0, 1, 1, 1, 2, 1}, p);
    }

    @Test
    void accuracyAndConfusionMatrix() {
        Evaluation e = crafted();
        assertEquals(5.0 / 8, e.accuracy(), EPS);
        int[][] c = e.confusion();
        assertArrayEquals(new int[] {2, 1, 0}, c[0]);
        assertArrayEquals(new int[] {1, 2, 1}, c[1]);
        assertArrayEquals(new int[] {0, 0, 1}, c[2]);
        double[][] n = e.confusionRowNormalised();
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, 0}, n[0], EPS);
        assertArrayEquals(new double[] {0.25, 0.5, 0.25}, n[1], EPS);
        assertArrayEquals(new double[] {0, 0, 1}, n[2], EPS);
    }

    @Test
    void perClassPrecisionRecallF1() {
        List<Evaluation.ClassMetrics> m = crafted().perClass();
        check(m.get(0), 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        check(m.get(1), 2.0 / 3, 0.5, 4.0 / 7, 4);
        check(m.get(2), 0.5, 1.0, 2.0 / 3, 1);
    }

    @Test
    void macroAndWeightedAverages() {
        Evaluation e = crafted();
        assertEquals(11.0 / 18, e.macro().precision(), EPS);
        assertEquals(13.0 / 18, e.macro().recall(), EPS);
        assertEquals(40.0 / 63, e.macro().f1(), EPS);
        assertEquals(31.0 / 48, e.weighted().precision(), EPS);
        assertEquals(5.0 / 8, e.weighted().recall(), EPS);
        assertEquals(104.0 / 168, e.weighted().f1(), EPS);
    }

    @Test
    void samplesBehindACellAndMistakesMostConfidentFirst() {
        Evaluation e = crafted();
        assertEquals(List.of(0, 1), e.samplesIn(0, 0));
        assertEquals(List.of(3, 7), e.samplesIn(1, 1));
        assertEquals(List.of(), e.samplesIn(2, 0));
        assertEquals(List.of(5, 2, 4), e.misclassified(), "confidences 0.9, 0.7, 0.4");
        assertEquals(0.9f, e.confidence(5), 1e-6f);
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionNotNaN() {
        Evaluation e = new Evaluation(List.of("x", "y"), new int[] {0, 1}, new float[] {0.9f, 0.1f, 0.8f, 0.2f});
        Evaluation.ClassMetrics y = e.perClass().get(1);
        assertEquals(0, y.precision());
        assertEquals(0, y.recall());
        assertEquals(0, y.f1());
        assertEquals(0.5, e.accuracy(), EPS);
    }

    private static void check(Evaluation.ClassMetrics m, double precision, double recall, double f1, int support) {
        assertEquals(precision, m.precision(), EPS, m.name() + " precision");
        assertEquals(recall, m.recall(), EPS, m.name() + " recall");
        assertEquals(f1, m.f1(), EPS, m.name() + " F1");
        assertEquals(support, m.support(), m.name() + " support");
    }
}
