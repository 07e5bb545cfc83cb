package kiln.engine.weights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Weights files round-trip exactly, follow the safetensors layout byte for byte, and hostile files are refused. */
class SafeTensorsTest {

    /** Far below any array a hostile header asks for, far above what checking a small file needs. */
    private static final long MAX_ALLOCATION_BYTES = 16L << 20;

    @TempDir
    Path dir;

    /** Loads the reader's classes first, so that the one-second limits time reading, not class loading. */
    @BeforeAll
    static void warmUp() throws IOException {
        Path file = Files.createTempFile("warm-up", ".safetensors");
        try {
            SafeTensors.write(file, Map.of("a", Tensor.f32(new long[] {1}, new float[] {1})), Map.of("k", "v"));
            SafeTensors.read(file, Map.of("a", new long[] {1}));
        } finally {
            Files.delete(file);
        }
    }

    // ---- round trip and layout

    @Test
    void tensorsAndMetadataRoundTripExactlyInOrder() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", Tensor.f32(shape(2, 1, 1, 2), new float[] {1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE}));
        tensors.put("conv1.bias", Tensor.f64(shape(3), new double[] {Math.PI, -1e300, Double.NEGATIVE_INFINITY}));
        tensors.put("steps", Tensor.i64(shape(2), new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
        tensors.put("scale", Tensor.f32(shape(), new float[] {0.25f}));
        tensors.put("empty", Tensor.f32(shape(0, 4), new float[0]));
        tensors.put("no.rows", Tensor.i64(shape(5, 0), new long[0]));
        Map<String, String> metadata = Map.of("epoch", "7", "note", "Grüße ✓");
        Path file = dir.resolve("best.safetensors");

        SafeTensors.write(file, tensors, metadata);
        SafeTensors.Contents read = SafeTensors.read(file, shapesOf(tensors));

        assertEquals(tensors, read.tensors());
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()), "file order is write order");
        assertEquals(metadata, read.metadata());
        assertEquals(metadata, SafeTensors.readMetadata(file));
        assertEquals(tensors, SafeTensors.read(file).tensors());
        assertEquals(1, read.tensors().get("scale").size(), "a scalar holds one value");
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the header is padded so the data starts 8-byte aligned");
    }

    @Test
    void writesTheSafetensorsLayoutByteForByte() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.f32(shape(2), new float[] {1.0f, -2.5f}));
        tensors.put("n", Tensor.i64(shape(), new long[] {7}));
        String json = "{\"__metadata__\":{\"epoch\":\"12\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 144, 0, 0, 0, 0, 0, 0, 0}); // 137 bytes of JSON + 7 spaces, u64 little-endian
        expected.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        expected.writeBytes("       ".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(bytes(0x00, 0x00, 0x80, 0x3F)); // 1.0f  = 0x3F800000
        expected.writeBytes(bytes(0x00, 0x00, 0x20, 0xC0)); // -2.5f = 0xC0200000
        expected.writeBytes(bytes(0x07, 0, 0, 0, 0, 0, 0, 0));
        Path file = dir.resolve("layout.safetensors");

        SafeTensors.write(file, tensors, Map.of("epoch", "12"));

        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
        Path handBuilt = Files.write(dir.resolve("hand-built.safetensors"), expected.toByteArray());
        assertEquals(tensors, SafeTensors.read(handBuilt, shapesOf(tensors)).tensors());
    }

    @Test
    void readsAnUnpaddedHeaderWithoutMetadata() throws IOException {
        Path file = handMade("{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(-3.75).array());
        SafeTensors.Contents read = SafeTensors.read(file);
        assertArrayEquals(new double[] {-3.75}, read.tensors().get("x").doubles());
        assertEquals(Map.of(), read.metadata());
    }

    @Test
    void tensorsAreImmutableAndCheckTheirShape() {
        float[] values = {1, 2};
        long[] shape = shape(2);
        Tensor tensor = Tensor.f32(shape, values);
        values[0] = 9;
        shape[0] = 5;
        tensor.floats()[1] = 9;
        tensor.shape()[0] = 5;
        assertEquals(Tensor.f32(shape(2), new float[] {1, 2}), tensor);
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32(shape(2, 2), new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f64(shape(-1), new double[0]));
        assertThrows(IllegalStateException.class, tensor::longs);
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("best.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.f32(shape(1), new float[] {1})), Map.of());
        byte[] previous = Files.readAllBytes(file);

        Thread.currentThread().interrupt(); // the write's FileChannel then closes itself on its first write
        try {
            assertThrows(ClosedByInterruptException.class,
                    () -> SafeTensors.write(file, Map.of("a", Tensor.f32(shape(3), new float[] {4, 5, 6})), Map.of()));
        } finally {
            Thread.interrupted();
        }

        assertArrayEquals(previous, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void writingRefusesTheMetadataKeyAsATensorName() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("w.safetensors"),
                Map.of("__metadata__", Tensor.f32(shape(), new float[] {1})), Map.of()));
        assertFalse(Files.exists(dir.resolve("w.safetensors")));
    }

    // ---- files that are not weights at all

    @Test
    void anOldKilnZipCheckpointIsNamedAsSuch() throws IOException {
        Path file = dir.resolve("best.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("preprocessor.bin"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }
        assertEquals(file + " is not a Kiln weights file (it looks like a zip archive from an older Kiln version); "
                + "train the run again", messageOf(file));
    }

    @Test
    void aJavaSerializedObjectIsNeverOpened() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(List.of("not", "weights")));
        }
        Path file = Files.write(dir.resolve("model.bin"), bytes.toByteArray());
        refused(file, "is not a Kiln weights file (it holds a serialized Java object, which Kiln never opens");
    }

    @Test
    void anEmptyFile() throws IOException {
        refused(Files.write(dir.resolve("empty.safetensors"), new byte[0]), "is empty (0 bytes); the file was damaged");
    }

    @Test
    void aFileShorterThanTheHeaderLength() throws IOException {
        refused(Files.write(dir.resolve("short.safetensors"), new byte[] {2, 0, 0, 0, 0}),
                "is truncated: it holds only 5 bytes, less than the 8");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(20240601).nextBytes(noise);
        refused(Files.write(dir.resolve("noise.safetensors"), noise), "is not a Kiln weights file (");
    }

    @Test
    void aHeaderLengthOfTwoToThe63MinusOne() throws IOException {
        refused(withHeaderLength(Long.MAX_VALUE, "max.safetensors"),
                "header length of 9,223,372,036,854,775,807 bytes, but a header holds 2 to 100,000,000 bytes");
    }

    @Test
    void aHeaderLengthOfTwoToThe64MinusOneIsNotNegative() throws IOException {
        refused(withHeaderLength(-1L, "unsigned.safetensors"), "header length of 18,446,744,073,709,551,615 bytes");
    }

    @Test
    void aHeaderLengthLargerThanTheFile() throws IOException {
        refused(withHeaderLength(1000, "long-header.safetensors"),
                "is truncated: the header should be 1,000 bytes long but the file holds only 64 after its length");
    }

    // ---- damaged or malicious headers

    @Test
    void aFileCutInTheMiddleOfTheData() throws IOException {
        Path file = validFile();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3));
        assertEquals(file + " is truncated: the header says 12 bytes of tensor data but the file holds 9; "
                + "the file was damaged, train again or restore it", messageOf(file));
    }

    @Test
    void aFileCutInTheMiddleOfTheHeader() throws IOException {
        Path file = validFile();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, 8 + 20));
        refused(file, "is truncated: the header should be ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handMadeHeaders")
    void aHandMadeHeaderIsRefusedInOneLineSayingWhy(String what, String header, int dataBytes, String words) throws IOException {
        refused(handMade(header, new byte[dataBytes]), words);
    }

    /** What is wrong, the header, how many bytes of data follow it, and words the refusal must hold. */
    static Stream<Arguments> handMadeHeaders() {
        List<Arguments> cases = new ArrayList<>(List.of(
                arguments("a tensor of a quadrillion values", entry("huge", "F32", "[1000000000000000]", "[0,4000000000000000]"), 0,
                        "gives tensor huge the shape [1000000000000000], more values than Kiln can hold (at most 2,147,483,639)"),
                arguments("a shape whose product overflows", entry("wide", "F32", "[4611686018427387904,4]", "[0,0]"), 0,
                        "more values than Kiln can hold"),
                arguments("offsets beyond the data", entry("a", "F32", "[2]", "[100,108]"), 8,
                        "is truncated: the header says 108 bytes of tensor data but the file holds 8"),
                arguments("overlapping tensors", "{" + body("a", "F32", "[2]", "[0,8]") + "," + body("b", "F32", "[2]", "[4,12]") + "}", 12,
                        "has tensors a and b in overlapping bytes"),
                arguments("a hole between tensors", "{" + body("a", "F32", "[2]", "[0,8]") + "," + body("b", "F32", "[1]", "[12,16]") + "}", 16,
                        "has 4 bytes that belong to no tensor before tensor b"),
                arguments("bytes after the last tensor", entry("a", "F32", "[2]", "[0,8]"), 10, "has 2 bytes after the last tensor"),
                arguments("data that ends before it begins", entry("a", "F32", "[0]", "[8,0]"), 8,
                        "gives tensor a data that ends (at byte 0) before it begins (at byte 8)"),
                arguments("a byte length that does not match the shape", entry("a", "F32", "[2]", "[0,12]"), 12,
                        "gives tensor a 12 bytes of data, but F32 values of shape [2] take 8"),
                arguments("an unknown dtype is refused by name", entry("a", "BF16", "[2]", "[0,4]"), 4,
                        "holds tensor a as BF16, a number type Kiln does not read (it reads F32, F64 and I64)"),
                arguments("a header that is not JSON", "this is not json", 0, "is not a Kiln weights file (its header is not valid JSON)"),
                arguments("a header that is two JSON objects", "{}{}", 0, "its header is not valid JSON"),
                arguments("a header that names a tensor twice",
                        "{" + body("a", "F32", "[0]", "[0,0]") + "," + body("a", "F32", "[0]", "[0,0]") + "}", 0, "its header is not valid JSON"),
                arguments("a header that is an array", "[1,2,3]", 0, "its header is an array, not an object"),
                arguments("a header of only spaces", "        ", 0, "its header is empty, not an object"),
                arguments("a tensor described by a number", "{\"a\":5}", 0, "describes tensor a with a number instead of an object"),
                arguments("metadata that is a number", "{\"__metadata__\":{\"epoch\":3}}", 0, "has metadata epoch that is a number, not text"),
                arguments("metadata that is an array", "{\"__metadata__\":[\"epoch\"]}", 0, "has __metadata__ that is an array"),
                arguments("a line break in a tensor name stays on one line", entry("a\\nb", "U8", "[1]", "[0,1]"), 1, "holds tensor a b as U8")));
        for (String offsets : List.of("[-8,0]", "[0]", "[0,8,16]", "[0,8.0]", "[0,100000000000000000000]", "\"0,8\"")) {
            cases.add(arguments("offsets " + offsets + ", not two whole numbers", entry("a", "F32", "[2]", offsets), 8,
                    "gives tensor a data_offsets that are not two whole numbers of at least 0"));
        }
        for (String shape : List.of("[-2]", "[2.5]", "2", "[\"2\"]")) {
            cases.add(arguments("a negative or fractional dimension: " + shape, entry("a", "F32", shape, "[0,8]"), 8,
                    "gives tensor a a shape that is not a list"));
        }
        return cases.stream();
    }

    @Test
    void aHeaderThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("latin1.safetensors");
        Files.write(file, fileBytes("{\"é\":1}".getBytes(StandardCharsets.ISO_8859_1), new byte[0]));
        refused(file, "its header is not UTF-8 text");
    }

    // ---- a valid file that does not fit the network

    @Test
    void aShapeThatDiffersFromTheNetworks() throws IOException {
        Path file = dir.resolve("best.safetensors");
        SafeTensors.write(file, Map.of("conv1.weight", Tensor.f32(shape(32, 1, 3, 3), new float[288])), Map.of());
        assertEquals(file + " holds tensor conv1.weight with shape [32, 1, 3, 3], but the network needs [64, 1, 3, 3]; "
                + "the run was trained on a different network", messageOf(file, Map.of("conv1.weight", shape(64, 1, 3, 3))));
    }

    @Test
    void aTensorTheNetworkNeedsIsMissing() throws IOException {
        refused(validFile(), Map.of("a", shape(2), "b", shape(1), "dense1.bias", shape(10)),
                "has no tensor dense1.bias, which the network needs; the run was trained on a different network");
    }

    @Test
    void aTensorTheNetworkDoesNotHave() throws IOException {
        refused(validFile(), Map.of("a", shape(2)),
                "holds tensor b, which the network does not have; the run was trained on a different network");
    }

    @Test
    void readingMetadataChecksTheWholeHeader() throws IOException {
        Path file = handMade("{\"__metadata__\":{\"epoch\":\"3\"}," + body("a", "F32", "[2]", "[0,8]") + "}", new byte[4]);
        String message = assertThrows(WeightsFormatException.class, () -> SafeTensors.readMetadata(file)).getMessage();
        assertTrue(message.contains("is truncated"), message);
    }

    // ---- helpers

    private static void refused(Path file, String words) {
        String message = messageOf(file);
        assertTrue(message.contains(words), "expected «" + words + "» in: " + message);
    }

    private static void refused(Path file, Map<String, long[]> expected, String words) {
        String message = messageOf(file, expected);
        assertTrue(message.contains(words), "expected «" + words + "» in: " + message);
    }

    private static String messageOf(Path file) {
        return messageOf(file, () -> SafeTensors.read(file));
    }

    private static String messageOf(Path file, Map<String, long[]> expected) {
        return messageOf(file, () -> SafeTensors.read(file, expected));
    }

    /** The read is refused within a second, without allocating much, with one line that starts with the file. */
    private static String messageOf(Path file, Executable read) {
        String message = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            long before = allocatedBytes();
            WeightsFormatException e = assertThrows(WeightsFormatException.class, read);
            long allocated = allocatedBytes() - before;
            assertTrue(allocated < MAX_ALLOCATION_BYTES, "allocated " + allocated + " bytes to refuse " + file);
            return e.getMessage();
        });
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith(file + " "), "names the file first: " + message);
        return message;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Tensors a: F32 [2] and b: F32 [1], 12 bytes of data. */
    private Path validFile() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.f32(shape(2), new float[] {1, 2}));
        tensors.put("b", Tensor.f32(shape(1), new float[] {3}));
        Path file = dir.resolve("valid.safetensors");
        SafeTensors.write(file, tensors, Map.of());
        return file;
    }

    private Path withHeaderLength(long headerLength, String name) throws IOException {
        byte[] content = new byte[8 + 64];
        ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);
        content[8] = '{';
        return Files.write(dir.resolve(name), content);
    }

    private Path handMade(String header, byte[] data) throws IOException {
        return Files.write(Files.createTempFile(dir, "hand-made", ".safetensors"),
                fileBytes(header.getBytes(StandardCharsets.UTF_8), data));
    }

    private static byte[] fileBytes(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "{" + body(name, dtype, shape, offsets) + "}";
    }

    private static String body(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    private static Map<String, long[]> shapesOf(Map<String, Tensor> tensors) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        return shapes;
    }

    private static long[] shape(long... dimensions) {
        return dimensions;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }
}
