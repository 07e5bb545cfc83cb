package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static kiln.engine.data.pipeline.Data.NaN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleaningStepsTest {

    /** Column 0: 1, 2, NaN, 4, 4 (mean 2.75, median 3, most frequent 4); column 1: 10, NaN, 30, 40, 50. */
    private static final Dataset HOLES = Data.rows(new float[][] {{1, 10}, {2, NaN}, {NaN, 30}, {4, 40}, {4, 50}}, 0, 1, 0, 1, 0);

    @Test
    void meanFillUsesTrainingColumnMeansAndReportsTheRows() {
        StepType.Cleaned c = Data.clean(FillMissingStep.ID, HOLES, HOLES, Map.of("strategy", "mean"));
        float[] f = c.data().features();
        assertEquals(2.75f, f[4], 1e-6);   // row 2, column 0
        assertEquals(32.5f, f[3], 1e-6);   // row 1, column 1: (10 + 30 + 40 + 50) / 4
        assertArrayEquals(new int[] {1, 2}, c.report().changed());
        assertEquals(0, c.report().removedCount());
        assertTrue(c.report().summary().contains("2 missing values in 2 rows"), c.report().summary());
        assertTrue(Float.isNaN(HOLES.features()[4]), "the input split is not changed");
    }

    @Test
    void medianMostFrequentAndConstantFill() {
        assertEquals(3f, Data.clean(FillMissingStep.ID, HOLES, HOLES, Map.of("strategy", "median")).data().features()[4]);
        assertEquals(4f, Data.clean(FillMissingStep.ID, HOLES, HOLES, Map.of("strategy", "most_frequent")).data().features()[4]);
        assertEquals(-1f, Data.clean(FillMissingStep.ID, HOLES, HOLES, Map.of("strategy", "constant", "value", -1.0)).data().features()[4]);
    }

    @Test
    void fillValuesComeFromTheTrainingSplitNotTheSplitBeingFilled() {
        Dataset test = Data.rows(new float[][] {{NaN, 1000}, {1000, 1000}}, 0, 0);
        float[] f = Data.clean(FillMissingStep.ID, HOLES, test, Map.of("strategy", "mean")).data().features();
        assertEquals(2.75f, f[0], 1e-6);
    }

    @Test
    void dropMissingRemovesRowsWithAnyHole() {
        StepType.Cleaned c = Data.clean(DropMissingStep.ID, HOLES, HOLES, Map.of());
        assertEquals(3, c.data().size());
        assertArrayEquals(new int[] {1, 2}, c.report().removed());
        assertArrayEquals(new int[] {0, 1, 0}, c.data().labels());
    }

    @Test
    void iqrRuleDropsTheRowOutsideTukeyFences() {
        // column 0: 1..8 and 100. Q1 = 3, Q3 = 7 (linear interpolation), IQR 4, fences −3 and 13
        float[][] rows = new float[9][];
        for (int i = 0; i < 8; i++) rows[i] = new float[] {i + 1, 5};
        rows[8] = new float[] {100, 5};
        Dataset d = Data.rows(rows, 0, 1, 0, 1, 0, 1, 0, 1, 0);
        StepType.Cleaned c = Data.clean(DropOutliersStep.ID, d, d, Map.of("rule", "iqr", "k", 1.5));
        assertArrayEquals(new int[] {8}, c.report().removed());
        assertEquals(8, c.data().size());
        assertTrue(c.report().summary().startsWith("dropped 1 row with outliers"), c.report().summary());
        Dataset test = Data.rows(new float[][] {{13, 5}, {13.5f, 5}, {-3, 5}}, 0, 0, 0);
        assertArrayEquals(new int[] {1}, Data.clean(DropOutliersStep.ID, d, test, Map.of("rule", "iqr", "k", 1.5)).report().removed(),
                "the fences come from the training split: 13 stays, 13.5 goes");
    }

    @Test
    void zScoreRuleUsesMeanAndStdOfTraining() {
        // values 0, 0, 0, 0, 10: mean 2, std 4 → |x − 2| > 2·4 drops nothing at k = 2; at k = 1.5 drops the 10 (z = 2)
        Dataset d = Data.rows(new float[][] {{0}, {0}, {0}, {0}, {10}}, 0, 0, 0, 0, 0);
        assertEquals(0, Data.clean(DropOutliersStep.ID, d, d, Map.of("rule", "zscore", "k", 2.0)).report().removedCount());
        assertArrayEquals(new int[] {4}, Data.clean(DropOutliersStep.ID, d, d, Map.of("rule", "zscore", "k", 1.5)).report().removed());
    }

    @Test
    void dropDuplicatesKeepsTheFirstCopyAndCopiesWithOtherLabels() {
        Dataset d = Data.rows(new float[][] {{1, 2}, {3, 4}, {1, 2}, {1, 2}, {3, 4}}, 0, 0, 0, 1, 1);
        StepType.Cleaned c = Data.clean(DropDuplicatesStep.ID, d, d, Map.of());
        assertArrayEquals(new int[] {2}, c.report().removed(), "row 3 repeats row 1 with the same label; row 4 has another label");
        assertEquals(4, c.data().size());
    }

    @Test
    void nearEmptyImagesAreFlaggedAndKept() {
        TensorShape s = TensorShape.image(2, 2, 1);
        Dataset d = Data.images(s, new float[] {0, 255, 0, 255}, new float[] {3, 3, 3, 3}, new float[] {0, 0, 0, 1});
        StepType.Cleaned c = Data.clean(FlagNearEmptyStep.ID, d, d, Map.of("threshold", 0.02));
        assertArrayEquals(new int[] {1, 2}, c.report().flagged());
        assertSame(d, c.data());
    }

    @Test
    void resizeChangesTheShapeAndKeepsAFlatImageFlat() {
        TensorShape s = TensorShape.image(2, 2, 1);
        Dataset d = Data.images(s, new float[] {7, 7, 7, 7}, new float[] {0, 10, 0, 10});
        StepType.Cleaned c = Data.clean(ResizeStep.ID, d, d, Map.of("height", 4, "width", 4));
        assertEquals(TensorShape.image(4, 4, 1), c.data().sampleShape());
        for (int i = 0; i < 16; i++) assertEquals(7f, c.data().features()[i]);
        // second image: columns 0 and 10 → left edge 0, right edge 10, in between 2.5 and 7.5
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10}, java.util.Arrays.copyOfRange(c.data().features(), 16, 20), 1e-5f);
        assertEquals(TensorShape.image(4, 4, 1), new ResizeStep().outputShape(s, StepParams.checked(new ResizeStep(), Map.of("height", 4, "width", 4))));
    }
}
