package kiln.engine.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy .npz archives (a zip of .npy files, format version 1.0): float32 and int64 arrays that
 * numpy.load reads without pickle, so PyTorch code can load them with torch.from_numpy.
 */
final class Npz {

    private record Array(String dtype, long[] shape, byte[] data) { }

    private final Map<String, Array> arrays = new LinkedHashMap<>();

    void floats(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        put(name, "<f4", shape, values.length, b.array());
    }

    void bytes(String name, byte[] values, long... shape) {
        put(name, "|u1", shape, values.length, values.clone());
    }

    void longs(String name, long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        put(name, "<i8", shape, values.length, b.array());
    }

    private void put(String name, String dtype, long[] shape, int count, byte[] data) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != count) throw new IllegalArgumentException(name + ": " + count + " values for shape " + java.util.Arrays.toString(shape));
        if (arrays.put(name, new Array(dtype, shape.clone(), data)) != null) {
            throw new IllegalArgumentException("two arrays named " + name);
        }
    }

    void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Array> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(header(e.getValue()));
                zip.write(e.getValue().data());
                zip.closeEntry();
            }
        }
    }

    private static byte[] header(Array a) {
        StringJoiner dims = new StringJoiner(", ", "(", a.shape().length == 1 ? ",)" : ")");
        for (long d : a.shape()) dims.add(Long.toString(d));
        String dict = "{'descr': '" + a.dtype() + "', 'fortran_order': False, 'shape': " + dims + ", }";
        // magic (6) + version (2) + length (2) + dict + padding + newline, a multiple of 64 bytes
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String padded = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
