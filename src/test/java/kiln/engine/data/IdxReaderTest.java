package kiln.engine.data;

import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path dir;

    static byte[] images(int n, int rows, int cols, int cut) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < n * rows * cols; i++) out.writeByte((i * 7) & 0xff);
        byte[] all = b.toByteArray();
        return Arrays.copyOf(all, all.length - cut);
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(values.length);
        for (int v : values) out.writeByte(v);
        return b.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void readsRawAndGzippedFilesAlike() throws Exception {
        for (boolean gz : new boolean[] {false, true}) {
            Path img = write("img" + gz, images(3, 2, 4, 0), gz);
            Path lab = write("lab" + gz, labels(2, 0, 1), gz);

            Dataset d = IdxReader.read(img, lab, BundledData.MNIST_CLASSES, Progress.NONE);

            assertEquals(3, d.size());
            assertEquals("2×4×1", d.sampleShape().toString());
            assertArrayEquals(new int[] {2, 0, 1}, d.labels());
            assertEquals((9 * 7) & 0xff, d.features()[9], 0, "pixel 9 as written");
            assertEquals((23 * 7) & 0xff, d.features()[23], 0, "last pixel, unsigned");
        }
    }

    @Test
    void badFilesNameTheFileAndTheProblem() throws Exception {
        Path img = write("train-images", images(3, 2, 2, 0), false);
        Path lab = write("train-labels", labels(1, 2, 3), false);
        Path shortImg = write("short-images", images(3, 2, 2, 5), true);
        Path twoLabels = write("two-labels", labels(1, 2), false);
        Path badLabel = write("bad-labels", labels(1, 12, 3), false);

        String swapped = assertThrows(DataFormatException.class,
                () -> IdxReader.read(lab, img, BundledData.MNIST_CLASSES, Progress.NONE)).getMessage();
        assertTrue(swapped.contains("train-images") && swapped.contains("is not an IDX label file")
                && swapped.contains("images and labels are not swapped"), swapped);

        String truncated = assertThrows(DataFormatException.class,
                () -> IdxReader.read(shortImg, lab, BundledData.MNIST_CLASSES, Progress.NONE)).getMessage();
        assertTrue(truncated.contains("short-images: ends after 1 of 3 images (truncated download?)"), truncated);

        String count = assertThrows(DataFormatException.class,
                () -> IdxReader.read(img, twoLabels, BundledData.MNIST_CLASSES, Progress.NONE)).getMessage();
        assertTrue(count.contains("holds 3 images but two-labels holds 2 labels"), count);

        String range = assertThrows(DataFormatException.class,
                () -> IdxReader.read(img, badLabel, BundledData.MNIST_CLASSES, Progress.NONE)).getMessage();
        assertTrue(range.contains("bad-labels: label 2 is 12 but there are only 10 classes"), range);

        String missing = assertThrows(DataFormatException.class,
                () -> IdxReader.read(dir.resolve("nope"), lab, BundledData.MNIST_CLASSES, Progress.NONE)).getMessage();
        assertTrue(missing.endsWith("nope: does not exist"), missing);
    }

    @Test
    void theBundledMnistIsComplete() throws Exception {
        Path mnist = BundledData.folder("mnist");
        Dataset test = IdxReader.read(mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"),
                BundledData.MNIST_CLASSES, Progress.NONE);
        int[] trainLabels = IdxReader.readLabels(mnist.resolve("train-labels-idx1-ubyte.gz"), 10);

        assertEquals(60_000, trainLabels.length);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
    }
}
