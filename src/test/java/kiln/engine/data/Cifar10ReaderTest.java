package kiln.engine.data;

import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CIFAR-10 cannot be shipped, so these tests write files in its binary format. */
class Cifar10ReaderTest {

    @TempDir
    Path dir;

    /** Record r has label r % 10 and pixel value (r + channel * 3 + index) % 256. */
    static byte[] records(int n) {
        byte[] b = new byte[n * Cifar10Reader.RECORD];
        for (int r = 0; r < n; r++) {
            int off = r * Cifar10Reader.RECORD;
            b[off] = (byte) (r % 10);
            for (int j = 0; j < 3072; j++) b[off + 1 + j] = (byte) ((r + (j / 1024) * 3 + j) % 256);
        }
        return b;
    }

    static void writeFolder(Path dir, int perFile) throws Exception {
        for (String f : Cifar10Reader.TRAIN_FILES) Files.write(dir.resolve(f), records(perFile));
        Files.write(dir.resolve(Cifar10Reader.TEST_FILE), records(perFile));
    }

    @Test
    void readsRecordsChannelsFirst() throws Exception {
        writeFolder(dir, 4);

        Dataset[] d = Cifar10Reader.read(dir, Progress.NONE);

        assertEquals(20, d[0].size());
        assertEquals(4, d[1].size());
        assertEquals("32×32×3", d[0].sampleShape().toString());
        assertEquals("airplane", d[0].classNames().get(0));
        assertEquals(3, d[1].labels()[3]);
        int sample = 2;
        int green = 1024;
        int pixel = 5 * 32 + 7;
        assertEquals((sample + 3 + green + pixel) % 256, d[1].features()[sample * 3072 + green + pixel], 0);
    }

    @Test
    void missingAndTruncatedFilesAreExplained() throws Exception {
        Files.write(dir.resolve("data_batch_1.bin"), records(2));

        String missing = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, Progress.NONE)).getMessage();
        assertTrue(missing.contains("data_batch_2.bin") && missing.contains("test_batch.bin")
                && missing.contains("CIFAR-10 binary version") && missing.contains("cifar-10-batches-bin"), missing);

        writeFolder(dir, 2);
        byte[] cut = records(2);
        Files.write(dir.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(cut, cut.length - 100));
        String truncated = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, Progress.NONE)).getMessage();
        assertTrue(truncated.contains("data_batch_3.bin: is 6046 bytes, not a whole number of 3073-byte CIFAR-10 records"),
                truncated);
    }
}
