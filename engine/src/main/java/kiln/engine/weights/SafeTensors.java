package kiln.engine.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Reads and writes weights in the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
 * little-endian data. A file is only data: reading checks the whole header against the file's size before it
 * allocates or reads any tensor, and nothing in a file can choose a class to load.
 */
public final class SafeTensors {

    /** The largest header accepted, the same limit as the safetensors library's. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 16; // a multiple of every element size
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] JAVA_SERIALIZATION = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05};

    private static final String DAMAGED = "the file was damaged, train again or restore it";
    private static final String OTHER_NETWORK = "the run was trained on a different network";
    private static final String CHOOSE = "choose a .safetensors weights file saved by Kiln or PyTorch";

    // a tree of plain nodes only; duplicate names and text after the header object are refused
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensors() { }

    /** A whole weights file: its tensors in file order and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) { }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) { }

    /**
     * Writes the tensors in the map's order with their metadata. The file is replaced atomically: it is either
     * the old file or the complete new one.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, temporary -> {
            try (FileChannel channel = FileChannel.open(temporary, WRITE, TRUNCATE_EXISTING)) {
                writeFully(channel, ByteBuffer.allocate(Long.BYTES).order(LITTLE_ENDIAN).putLong(header.length).flip());
                writeFully(channel, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(LITTLE_ENDIAN);
                for (Tensor tensor : tensors.values()) {
                    for (int next = tensor.writeTo(chunk, 0); next < tensor.size(); next = tensor.writeTo(chunk, next)) {
                        writeFully(channel, chunk.flip());
                        chunk.clear();
                    }
                }
                writeFully(channel, chunk.flip());
            }
        });
    }

    /**
     * Reads a weights file that must hold exactly the expected tensors (name → shape), such as the ones a
     * network needs; anything missing, extra or of another shape is refused before any data is read.
     */
    public static Contents read(Path file, Map<String, long[]> expected) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            Header header = readHeader(file, channel);
            checkExpected(file, header, expected);
            return readData(file, channel, header);
        }
    }

    /** Reads whatever tensors a valid weights file holds, for tools that inspect files. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            return readData(file, channel, readHeader(file, channel));
        }
    }

    /** The metadata of a valid weights file, reading only its header. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            return readHeader(file, channel).metadata();
        }
    }

    /** The name and shape of every tensor of a valid weights file, in file order, reading only its header. */
    public static Map<String, long[]> shapes(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Entry e : readHeader(file, channel).entries()) out.put(e.name(), e.shape().clone());
            return out;
        }
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode values = header.putObject(METADATA);
            metadata.forEach((key, value) ->
                    values.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, key)));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> named : tensors.entrySet()) {
            String name = Objects.requireNonNull(named.getKey(), "tensor name");
            Tensor tensor = Objects.requireNonNull(named.getValue(), name);
            if (name.equals(METADATA)) throw new IllegalArgumentException(METADATA + " is reserved and cannot name a tensor");
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long dimension : tensor.shape()) shape.add(dimension);
            long end = offset + (long) tensor.size() * tensor.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // so that the data starts 8-byte aligned
        if (padded > MAX_HEADER_BYTES) throw new IllegalArgumentException("too many tensors for one header: " + padded + " bytes");
        byte[] spaced = Arrays.copyOf(json, padded);
        Arrays.fill(spaced, json.length, padded, (byte) ' ');
        return spaced;
    }

    /** Parses and checks the whole header against the file's size; nothing is trusted before it is checked. */
    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize == 0) throw new WeightsFormatException(file, "is empty (0 bytes); " + DAMAGED);
        ByteBuffer start = readFully(file, channel, 0, ByteBuffer.allocate((int) Math.min(Long.BYTES, fileSize)));
        if (startsWith(start, ZIP)) {
            throw new WeightsFormatException(file,
                    "is not a Kiln weights file (it looks like a zip archive from an older Kiln version); train the run again");
        }
        if (startsWith(start, JAVA_SERIALIZATION)) {
            throw new WeightsFormatException(file, "is not a Kiln weights file (it holds a serialized Java object, which "
                    + "Kiln never opens because opening one can run code); train the run again");
        }
        if (fileSize < Long.BYTES) {
            throw new WeightsFormatException(file, "is truncated: it holds only " + fileSize
                    + " bytes, less than the 8 that every weights file starts with; " + DAMAGED);
        }
        long headerBytes = start.order(LITTLE_ENDIAN).getLong(0); // unsigned: a negative long is 2^63 or more
        if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES) {
            throw new WeightsFormatException(file, notWeights("its first 8 bytes give a header length of "
                    + groupedUnsigned(headerBytes) + " bytes, but a header holds 2 to "
                    + grouped(MAX_HEADER_BYTES) + " bytes"));
        }
        long afterLength = fileSize - Long.BYTES;
        if (headerBytes > afterLength) {
            throw new WeightsFormatException(file, "is truncated: the header should be " + grouped(headerBytes)
                    + " bytes long but the file holds only " + grouped(afterLength) + " after its length; " + DAMAGED);
        }
        byte[] headerData = readFully(file, channel, Long.BYTES, ByteBuffer.allocate((int) headerBytes)).array();
        JsonNode root = parse(file, headerData);
        if (!root.isObject()) throw new WeightsFormatException(file, notWeights("its header is " + kind(root) + ", not an object"));

        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            if (property.getKey().equals(METADATA)) {
                metadata = metadata(file, property.getValue());
            } else {
                entries.add(entry(file, property.getKey(), property.getValue()));
            }
        }
        long dataStart = Long.BYTES + headerBytes;
        checkLayout(file, entries, fileSize - dataStart);
        return new Header(List.copyOf(entries), metadata, dataStart);
    }

    private static JsonNode parse(Path file, byte[] header) throws WeightsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new WeightsFormatException(file, notWeights("its header is not UTF-8 text"), e);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WeightsFormatException(file, notWeights("its header is not valid JSON"), e);
        }
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws WeightsFormatException {
        if (!node.isObject()) {
            throw new WeightsFormatException(file, "has " + METADATA + " that is " + kind(node) + ", not an object of texts; " + DAMAGED);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!property.getValue().isTextual()) {
                throw new WeightsFormatException(file, "has metadata " + shown(property.getKey()) + " that is "
                        + kind(property.getValue()) + ", not text; metadata values must be written as strings");
            }
            metadata.put(property.getKey(), property.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry entry(Path file, String name, JsonNode node) throws WeightsFormatException {
        String tensor = "tensor " + shown(name);
        if (!node.isObject()) {
            throw new WeightsFormatException(file, "describes " + tensor + " with " + kind(node)
                    + " instead of an object with dtype, shape and data_offsets; " + DAMAGED);
        }
        JsonNode dtypeName = node.path("dtype");
        if (!dtypeName.isTextual()) throw new WeightsFormatException(file, "gives " + tensor + " no dtype; " + DAMAGED);
        DType dtype = DType.named(dtypeName.textValue()).orElseThrow(() -> new WeightsFormatException(file, "holds "
                + tensor + " as " + shown(dtypeName.textValue()) + ", a number type Kiln does not read (it reads F32, F64 "
                + "and I64); save the weights as float32, float64 or int64"));
        long[] shape = nonNegativeIntegers(node.path("shape")).orElseThrow(() -> new WeightsFormatException(file,
                "gives " + tensor + " a shape that is not a list of whole numbers of at least 0; " + DAMAGED));
        long count = Tensor.elementCount(shape);
        if (count > Tensor.MAX_ELEMENTS) {
            throw new WeightsFormatException(file, "gives " + tensor + " the shape " + Arrays.toString(shape)
                    + ", more values than Kiln can hold (at most " + grouped(Tensor.MAX_ELEMENTS) + "); " + DAMAGED);
        }
        long[] offsets = nonNegativeIntegers(node.path("data_offsets")).filter(pair -> pair.length == 2)
                .orElseThrow(() -> new WeightsFormatException(file,
                        "gives " + tensor + " data_offsets that are not two whole numbers of at least 0; " + DAMAGED));
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new WeightsFormatException(file, "gives " + tensor + " data that ends (at byte " + grouped(end)
                    + ") before it begins (at byte " + grouped(begin) + "); " + DAMAGED);
        }
        long needed = count * dtype.bytes();
        if (end - begin != needed) {
            throw new WeightsFormatException(file, "gives " + tensor + " " + grouped(end - begin) + " bytes of data, but "
                    + dtype + " values of shape " + Arrays.toString(shape) + " take " + grouped(needed) + "; " + DAMAGED);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The tensors must cover the data section exactly, one after another, with no gaps or overlaps. */
    private static void checkLayout(Path file, List<Entry> entries, long dataBytes) throws WeightsFormatException {
        long claimed = entries.stream().mapToLong(Entry::end).max().orElse(0);
        if (claimed > dataBytes) {
            throw new WeightsFormatException(file, "is truncated: the header says " + grouped(claimed)
                    + " bytes of tensor data but the file holds " + grouped(dataBytes) + "; " + DAMAGED);
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry entry : byOffset) {
            if (entry.begin() < covered) {
                throw new WeightsFormatException(file, "has tensors " + shown(previous.name()) + " and "
                        + shown(entry.name()) + " in overlapping bytes; " + DAMAGED);
            }
            if (entry.begin() > covered) {
                throw new WeightsFormatException(file, "has " + grouped(entry.begin() - covered) + " bytes that belong to "
                        + "no tensor before tensor " + shown(entry.name()) + "; " + DAMAGED);
            }
            covered = entry.end();
            previous = entry;
        }
        if (covered < dataBytes) {
            throw new WeightsFormatException(file, "has " + grouped(dataBytes - covered)
                    + " bytes after the last tensor that belong to no tensor; " + DAMAGED);
        }
    }

    private static void checkExpected(Path file, Header header, Map<String, long[]> expected) throws WeightsFormatException {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry entry : header.entries()) byName.put(entry.name(), entry);
        for (Map.Entry<String, long[]> wanted : expected.entrySet()) {
            Entry found = byName.get(wanted.getKey());
            if (found == null) {
                throw new WeightsFormatException(file, "has no tensor " + shown(wanted.getKey())
                        + ", which the network needs; " + OTHER_NETWORK);
            }
            if (!Arrays.equals(found.shape(), wanted.getValue())) {
                throw new WeightsFormatException(file, "holds tensor " + shown(found.name()) + " with shape "
                        + Arrays.toString(found.shape()) + ", but the network needs " + Arrays.toString(wanted.getValue())
                        + "; " + OTHER_NETWORK);
            }
        }
        for (Entry entry : header.entries()) {
            if (!expected.containsKey(entry.name())) {
                throw new WeightsFormatException(file, "holds tensor " + shown(entry.name())
                        + ", which the network does not have; " + OTHER_NETWORK);
            }
        }
    }

    private static Contents readData(Path file, FileChannel channel, Header header) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(LITTLE_ENDIAN);
        for (Entry entry : header.entries()) {
            // the header check bounded this tensor's size by the file's
            Tensor tensor = Tensor.toFill(entry.dtype(), entry.shape());
            long position = header.dataStart() + entry.begin();
            int next = 0;
            while (next < tensor.size()) {
                chunk.clear().limit((int) Math.min(CHUNK_BYTES, (long) (tensor.size() - next) * entry.dtype().bytes()));
                readFully(file, channel, position, chunk);
                position += chunk.limit();
                next = tensor.readFrom(chunk.flip(), next);
            }
            tensors.put(entry.name(), tensor);
        }
        return new Contents(tensors, header.metadata());
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                throw new WeightsFormatException(file, "is truncated: it ended while Kiln was reading it; " + DAMAGED);
            }
        }
        return into;
    }

    private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) channel.write(data);
    }

    private static boolean startsWith(ByteBuffer start, byte[] magic) {
        return start.capacity() >= magic.length && Arrays.equals(start.array(), 0, magic.length, magic, 0, magic.length);
    }

    private static Optional<long[]> nonNegativeIntegers(JsonNode list) {
        if (!list.isArray()) return Optional.empty();
        long[] values = new long[list.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = list.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) return Optional.empty();
            values[i] = value.longValue();
        }
        return Optional.of(values);
    }

    private static String notWeights(String why) {
        return "is not a Kiln weights file (" + why + "); " + CHOOSE;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "empty"; // parsed text leaves only MISSING, from a header of spaces
        };
    }

    // names come from the file: a message shows at most a line's worth
    private static String shown(String name) {
        return name.length() <= 80 ? name : name.substring(0, 80) + "…";
    }

    private static String grouped(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }

    private static String groupedUnsigned(long number) {
        return String.format(Locale.ROOT, "%,d", new BigInteger(Long.toUnsignedString(number)));
    }
}
