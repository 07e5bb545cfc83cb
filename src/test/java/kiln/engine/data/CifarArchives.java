package kiln.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small archives in the layout of cifar-10-binary.tar.gz (a ustar tar, gzipped) for tests. */
final class CifarArchives {

    private CifarArchives() { }

    /** cifar-10-batches-bin/ with the six batch files of {@code perFile} generated records and batches.meta.txt. */
    static byte[] cifarLike(int perFile) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String f : Cifar10Reader.TRAIN_FILES) entries.put("cifar-10-batches-bin/" + f, Cifar10ReaderTest.records(perFile));
        entries.put("cifar-10-batches-bin/" + Cifar10Reader.TEST_FILE, Cifar10ReaderTest.records(perFile));
        entries.put("cifar-10-batches-bin/batches.meta.txt",
                String.join("\n", Cifar10Reader.CLASSES).getBytes(StandardCharsets.UTF_8));
        return tarGz(entries);
    }

    /** A gzipped tar with a folder entry for each file's parent and the files, in order. */
    static byte[] tarGz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            java.util.Set<String> dirs = new java.util.HashSet<>();
            for (var e : files.entrySet()) {
                int slash = e.getKey().lastIndexOf('/');
                if (slash > 0 && dirs.add(e.getKey().substring(0, slash + 1))) {
                    gz.write(header(e.getKey().substring(0, slash + 1), 0, '5'));
                }
                gz.write(header(e.getKey(), e.getValue().length, '0'));
                gz.write(e.getValue());
                gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
