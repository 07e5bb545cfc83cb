package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version: records of 1 label byte and 3 × 1024 pixel bytes (red, green, blue
 * planes, each row by row), which is already the channels-first layout Kiln keeps.
 */
public final class Cifar10Reader {

    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    static final int RECORD = 1 + 3 * 32 * 32;

    private Cifar10Reader() { }

    /** Train (the five data batches) and test (test_batch.bin) from one folder; {@link Cifar10MissingException} when absent. */
    public static Dataset[] read(Path folder, Progress progress) throws DataFormatException {
        List<String> missing = new ArrayList<>();
        for (String f : TRAIN_FILES) if (!Files.isRegularFile(folder.resolve(f))) missing.add(f);
        if (!Files.isRegularFile(folder.resolve(TEST_FILE))) missing.add(TEST_FILE);
        if (!missing.isEmpty()) throw new Cifar10MissingException(folder.toAbsolutePath().normalize(), missing);
        List<String> classes = classNames(folder);
        List<Path> trainFiles = TRAIN_FILES.stream().map(folder::resolve).toList();
        return new Dataset[] {readFiles(trainFiles, classes, "CIFAR-10 train", progress),
                readFiles(List.of(folder.resolve(TEST_FILE)), classes, "CIFAR-10 test", progress)};
    }

    /** One or more batch files as one data set. */
    public static Dataset readFiles(List<Path> files, List<String> classes, String source, Progress progress)
            throws DataFormatException {
        long total = 0;
        for (Path f : files) {
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                throw new DataFormatException(f, "cannot be read: " + e.getMessage(), e);
            }
            if (size == 0 || size % RECORD != 0) {
                throw new DataFormatException(f, "is " + size + " bytes, not a whole number of " + RECORD
                        + "-byte CIFAR-10 records (truncated download?); get the file again");
            }
            total += size / RECORD;
        }
        int n = Math.toIntExact(total);
        float[] features = new float[Math.multiplyExact(n, RECORD - 1)];
        int[] labels = new int[n];
        int i = 0;
        for (Path f : files) {
            progress.checkCancelled();
            progress.update((double) i / n, "Reading " + f.getFileName());
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new DataFormatException(f, "cannot be read: " + e.getMessage(), e);
            }
            for (int r = 0; r < bytes.length / RECORD; r++, i++) {
                int off = r * RECORD;
                labels[i] = bytes[off] & 0xff;
                if (labels[i] >= classes.size()) {
                    throw new DataFormatException(f, "record " + (r + 1) + " has label " + labels[i]
                            + " but CIFAR-10 has " + classes.size() + " classes; this is not a CIFAR-10 file");
                }
                for (int j = 1; j < RECORD; j++) features[i * (RECORD - 1) + j - 1] = bytes[off + j] & 0xff;
            }
        }
        return new Dataset(TensorShape.image(32, 32, 3), features, labels, classes, source);
    }

    /** batches.meta.txt lists the class names, one a line, when present. */
    private static List<String> classNames(Path folder) throws DataFormatException {
        Path meta = folder.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) return CLASSES;
        try {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            return names.isEmpty() ? CLASSES : names;
        } catch (IOException e) {
            throw new DataFormatException(meta, "cannot be read: " + e.getMessage(), e);
        }
    }
}
