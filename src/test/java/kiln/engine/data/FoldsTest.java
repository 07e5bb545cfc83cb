package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k-fold construction: disjoint, covering, stratified, seeded, the test split left out; refusals in words. */
class FoldsTest {

    private static final List<String> CLASSES = List.of("a", "b", "x");

    /** Samples whose single feature is a unique id (from {@code firstId}), labelled by the class counts given. */
    private static Dataset data(int firstId, int... perClass) {
        int n = Arrays.stream(perClass).sum();
        float[] f = new float[n];
        int[] labels = new int[n];
        int i = 0;
        // Interleave the classes so that the original order is not sorted by class.
        int[] left = perClass.clone();
        while (i < n) {
            for (int c = 0; c < left.length; c++) {
                if (left[c] == 0) continue;
                f[i] = firstId + i;
                labels[i++] = c;
                left[c]--;
            }
        }
        return new Dataset(TensorShape.vector(1), f, labels, CLASSES, "ids from " + firstId);
    }

    private static DataSplits splits() {
        return new DataSplits(data(0, 30, 14, 6), data(1000, 5, 3, 2), data(2000, 8, 4, 2));
    }

    private static Set<Float> ids(Dataset d) {
        Set<Float> out = new HashSet<>();
        for (float v : d.features()) out.add(v);
        return out;
    }

    @Test
    void foldsAreDisjointCoverTheTrainingAndValidationDataAndKeepClassProportionsWithinOne() {
        DataSplits raw = splits();
        Dataset pool = Folds.pool(raw);
        assertEquals(60, pool.size());
        int k = 5;
        int[][] folds = Folds.assign(pool, k, 7, true);
        int[] seen = new int[pool.size()];
        for (int[] fold : folds) for (int i : fold) seen[i]++;
        for (int i = 0; i < seen.length; i++) assertEquals(1, seen[i], "sample " + i + " is in " + seen[i] + " folds");
        int[] total = pool.classCounts(); // 35, 17, 8
        for (int c = 0; c < total.length; c++) {
            for (int[] fold : folds) {
                int inFold = pool.select(fold, "fold").classCounts()[c];
                assertTrue(Math.abs(inFold - (double) total[c] / k) < 1, "class " + c + ": " + inFold + " of " + total[c]);
            }
        }
        for (int[] fold : folds) assertTrue(Math.abs(fold.length - 60.0 / k) < 1, "fold size " + fold.length);
    }

    @Test
    void eachFoldValidatesOnItsFoldTrainsOnTheRestAndNeverSeesTheTestSplit() {
        DataSplits raw = splits();
        Set<Float> poolIds = ids(Folds.pool(raw));
        Set<Float> testIds = ids(raw.test());
        List<DataSplits> folds = Folds.splits(raw, 4, 3, true);
        assertEquals(4, folds.size());
        Set<Float> validated = new HashSet<>();
        for (DataSplits fold : folds) {
            Set<Float> train = ids(fold.train());
            Set<Float> validation = ids(fold.validation());
            assertEquals(poolIds.size(), train.size() + validation.size());
            Set<Float> both = new HashSet<>(train);
            both.addAll(validation);
            assertEquals(poolIds, both);
            for (Float t : testIds) assertFalse(both.contains(t), "test sample " + t + " is in a fold");
            assertTrue(validated.addAll(validation), "a sample validates in two folds");
            assertArrayEquals(raw.test().features(), fold.test().features());
        }
        assertEquals(poolIds, validated);
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        Dataset pool = Folds.pool(splits());
        assertArrayEquals(Folds.assign(pool, 5, 11, true), Folds.assign(pool, 5, 11, true));
        assertFalse(Arrays.deepEquals(Folds.assign(pool, 5, 11, true), Folds.assign(pool, 5, 12, true)));
    }

    @Test
    void tooFewFoldsOrMoreFoldsThanTheSmallestClassHasSamplesAreRefusedInWords() {
        Dataset pool = Folds.pool(splits()); // class 'x' has 6 + 2 = 8 samples
        assertEquals("fold count 1 is too small; use at least 2 folds (5 or 10 are usual)", Folds.check(pool, 1, true));
        assertEquals("fold count 10 is larger than the 8 samples of class 'x'; use at most 8 folds",
                Folds.check(pool, 10, true));
        assertNull(Folds.check(pool, 8, true));
        assertNull(Folds.check(pool, 10, false));
        assertEquals("fold count 61 is larger than the 60 training and validation samples; use at most 60 folds",
                Folds.check(pool, 61, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Folds.assign(pool, 9, 1, true));
        assertEquals("fold count 9 is larger than the 8 samples of class 'x'; use at most 8 folds", e.getMessage());
    }
}
