package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads MNIST-style IDX files (unsigned bytes), raw or gzipped; gzip is recognised by its magic bytes. */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() { }

    /** The image size from an image file's header, without reading the images. */
    public static TensorShape imageShape(Path images) throws DataFormatException {
        try (DataInputStream in = open(images)) {
            int magic = readHeaderInt(in, images);
            if (magic != IMAGES_MAGIC) throw new DataFormatException(images, "is not an IDX image file");
            readHeaderInt(in, images);
            return TensorShape.image(readHeaderInt(in, images), readHeaderInt(in, images), 1);
        } catch (IOException e) {
            throw new DataFormatException(images, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Images and labels as one data set; pixel values stay 0–255. */
    public static Dataset read(Path images, Path labels, List<String> classNames, Progress progress)
            throws DataFormatException {
        int[] labelValues = readLabels(labels, classNames.size());
        try (DataInputStream in = open(images)) {
            readMagic(in, images, IMAGES_MAGIC, "image");
            int count = readHeaderInt(in, images);
            int rows = readHeaderInt(in, images);
            int cols = readHeaderInt(in, images);
            if (count != labelValues.length) {
                throw new DataFormatException(images, "holds " + count + " images but " + labels.getFileName()
                        + " holds " + labelValues.length + " labels; use files from the same set");
            }
            if (rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 24) {
                throw new DataFormatException(images, "has an impossible image size " + rows + "×" + cols);
            }
            int per = rows * cols;
            float[] features = new float[Math.multiplyExact(count, per)];
            byte[] row = new byte[per];
            for (int i = 0; i < count; i++) {
                try {
                    in.readFully(row);
                } catch (EOFException e) {
                    throw new DataFormatException(images, "ends after " + i + " of " + count
                            + " images (truncated download?); get the file again");
                }
                for (int j = 0; j < per; j++) features[i * per + j] = row[j] & 0xff;
                if (i % 5000 == 0) {
                    progress.checkCancelled();
                    progress.update((double) i / count, "Reading " + images.getFileName());
                }
            }
            return new Dataset(TensorShape.image(rows, cols, 1), features, labelValues, classNames,
                    images.getFileName().toString());
        } catch (IOException e) {
            throw new DataFormatException(images, "cannot be read: " + e.getMessage(), e);
        }
    }

    static int[] readLabels(Path labels, int classCount) throws DataFormatException {
        try (DataInputStream in = open(labels)) {
            readMagic(in, labels, LABELS_MAGIC, "label");
            int count = readHeaderInt(in, labels);
            if (count < 0) throw new DataFormatException(labels, "has a negative label count " + count);
            byte[] raw = new byte[count];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new DataFormatException(labels, "ends before its " + count + " labels (truncated download?); get the file again");
            }
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = raw[i] & 0xff;
                if (values[i] >= classCount) {
                    throw new DataFormatException(labels, "label " + (i + 1) + " is " + values[i] + " but there are only "
                            + classCount + " classes (0 to " + (classCount - 1) + ")");
                }
            }
            return values;
        } catch (IOException e) {
            throw new DataFormatException(labels, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads the magic number and refuses a file that is not of this {@code kind} ("image", "label"). */
    private static void readMagic(DataInputStream in, Path file, int expected, String kind)
            throws IOException, DataFormatException {
        int magic = readHeaderInt(in, file);
        if (magic != expected) {
            throw new DataFormatException(file, String.format("is not an IDX " + kind + " file (magic number 0x%08X, "
                    + "expected 0x%08X); check that images and labels are not swapped", magic, expected));
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file) throws IOException, DataFormatException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(file, "is too short to be an IDX file (the header is cut off)");
        }
    }

    private static DataInputStream open(Path file) throws IOException, DataFormatException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file, "does not exist");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        InputStream in = b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }
}
