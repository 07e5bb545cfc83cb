package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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

class SplitterTest {

    /** 100 samples: 80 of class 0, 20 of class 1; the feature is the sample's index. */
    static Dataset imbalanced() {
        float[] f = new float[100];
        int[] l = new int[100];
        for (int i = 0; i < 100; i++) {
            f[i] = i;
            l[i] = i % 5 == 0 ? 1 : 0;
        }
        return new Dataset(TensorShape.vector(1), f, l, List.of("a", "b"), "test");
    }

    @Test
    void partsAreDisjointCoverEverythingAndRepeatForASeed() {
        int[][] parts = Splitter.split(imbalanced(), new double[] {0.1, 0.2}, 7, true);

        Set<Integer> seen = new HashSet<>();
        for (int[] p : parts) for (int i : p) assertTrue(seen.add(i), "sample " + i + " in two parts");
        assertEquals(100, seen.size());
        assertEquals(List.of(10, 20, 70), Arrays.stream(parts).map(p -> p.length).toList());
        assertArrayEquals(parts[1], Splitter.split(imbalanced(), new double[] {0.1, 0.2}, 7, true)[1]);
        assertFalse(Arrays.equals(parts[1], Splitter.split(imbalanced(), new double[] {0.1, 0.2}, 8, true)[1]));
    }

    @Test
    void stratifiedPartsKeepTheClassBalance() {
        Dataset d = imbalanced();
        int[][] parts = Splitter.split(d, new double[] {0.1, 0.2}, 1, true);

        assertEquals(2, Arrays.stream(parts[0]).filter(i -> d.labels()[i] == 1).count(), "validation: 20 % of 10");
        assertEquals(4, Arrays.stream(parts[1]).filter(i -> d.labels()[i] == 1).count(), "test: 20 % of 20");
    }

    @Test
    void impossibleFractionsAreExplained() {
        assertNull(Splitter.check(0.1, 0.2));
        assertEquals("Validation and test fractions add up to 1.0, leaving nothing to train on; keep their sum below 1.",
                Splitter.check(0.5, 0.5));
        assertTrue(Splitter.check(-0.1, 0).startsWith("Validation fraction is -0.1"));
    }

    @Test
    void relativeDataPathsMayNotLeaveTheProject(@TempDir Path project) throws Exception {
        assertEquals(project.resolve("data/x.csv").toAbsolutePath().normalize(), DataLoader.resolve(project, "data/x.csv"));
        String m = assertThrows(DataFormatException.class, () -> DataLoader.resolve(project, "../../etc/passwd")).getMessage();
        assertTrue(m.contains("the data path '../../etc/passwd' leaves the project folder"), m);
        assertTrue(DataLoader.resolve(project, "/abs/path.csv").isAbsolute(), "absolute paths are the user's choice");
    }

    @Test
    void csvDataIsSplitThreeWays(@TempDir Path project) throws Exception {
        StringBuilder sb = new StringBuilder("x,label\n");
        for (int i = 0; i < 50; i++) sb.append(i).append(',').append(i % 2).append('\n');
        java.nio.file.Files.writeString(project.resolve("d.csv"), sb);

        DataSplits s = DataLoader.load(new DataSourceSpec.Csv("d.csv", "label"), project,
                new SplitSettings(0.2, 0.2, 3, true), Progress.NONE);

        assertEquals(List.of(30, 10, 10), List.of(s.train().size(), s.validation().size(), s.test().size()));
    }
}
