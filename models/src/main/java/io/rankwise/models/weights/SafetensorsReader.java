package io.rankwise.models.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a safetensors file: an 8-byte little-endian header length N, N bytes of JSON ({@code {name:
 * {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}}), then the data section.
 *
 * <p>{@link #open} validates the whole header against the file before any tensor is read: the
 * header fits in the file, every tensor's offsets lie in the data section, match its dtype and
 * shape, and do not overlap another's. Tensors are then read one at a time through a mapping of
 * just their bytes, so files larger than 2 GiB work and nothing is read twice.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** The Rust reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafetensorsEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsReader(
            Path file,
            FileChannel channel,
            long dataStart,
            Map<String, SafetensorsEntry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws WeightFormatException naming the file and the problem if the header is malformed
     */
    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new WeightFormatException(
                        file,
                        "file of "
                                + size
                                + " bytes is too short for a safetensors header length (8 bytes)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
                throw new WeightFormatException(
                        file,
                        "header length "
                                + Long.toUnsignedString(headerLength)
                                + " is impossible: the file has "
                                + size
                                + " bytes and headers are at most "
                                + MAX_HEADER_BYTES
                                + "; the file is truncated or not safetensors");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, SafetensorsEntry> entries =
                    parseHeader(
                            file,
                            new String(header.array(), StandardCharsets.UTF_8),
                            size - dataStart,
                            metadata);
            return new SafetensorsReader(file, channel, dataStart, entries, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} map (empty if absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor of the header, in header order. */
    public List<SafetensorsEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The tensor names, in header order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The header entry of a tensor, if present. */
    public Optional<SafetensorsEntry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * Reads one tensor as float32 (F32 as is; F16, BF16 and F64 converted).
     *
     * @throws WeightFormatException if it is absent, of an integer dtype, or too large for an array
     */
    public NamedArray read(String name) throws IOException {
        SafetensorsEntry e = entries.get(name);
        if (e == null) {
            throw new WeightFormatException(file, "no tensor named '" + name + "'");
        }
        if (!e.dtype().readableAsFloat()) {
            throw new WeightFormatException(
                    file,
                    "tensor '"
                            + name
                            + "' has dtype "
                            + e.dtype()
                            + "; only F32, F16, BF16 and F64 can be read as float");
        }
        long count = NamedArray.elementCount(e.shape());
        if (count > Integer.MAX_VALUE - 8 || e.byteLength() > Integer.MAX_VALUE) {
            throw new WeightFormatException(
                    file,
                    "tensor '"
                            + name
                            + "' has "
                            + count
                            + " elements, too many for one Java array");
        }
        int n = (int) count;
        ByteBuffer bytes =
                channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength())
                        .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bytes.getDouble(8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.fromHalf(bytes.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.fromBfloat16(bytes.getShort(2 * i));
                }
            }
            default -> throw new IllegalStateException("unreachable: " + e.dtype());
        }
        return new NamedArray(name, e.shape(), out);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static Map<String, SafetensorsEntry> parseHeader(
            Path file, String json, long dataSize, Map<String, String> metadata)
            throws WeightFormatException {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WeightFormatException(
                    file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightFormatException(file, "header must be a JSON object");
        }
        Map<String, SafetensorsEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals("__metadata__")) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.put(
                        field.getKey(),
                        parseEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, entries.values());
        return entries;
    }

    private static SafetensorsEntry parseEntry(Path file, String name, JsonNode node, long dataSize)
            throws WeightFormatException {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) {
            throw new WeightFormatException(
                    file, where + "header entry must be an object, got " + node);
        }
        JsonNode dtypeNode = node.get("dtype");
        SafetensorsDType dtype;
        try {
            dtype = SafetensorsDType.valueOf(dtypeNode == null ? "" : dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(
                    file,
                    where
                            + "unknown dtype "
                            + dtypeNode
                            + "; known: "
                            + Arrays.toString(SafetensorsDType.values()));
        }
        long[] shape = nonNegativeLongs(file, where + "shape", node.get("shape"), -1);
        long[] offsets =
                nonNegativeLongs(file, where + "data_offsets", node.get("data_offsets"), 2);
        if (offsets[0] > offsets[1] || offsets[1] > dataSize) {
            throw new WeightFormatException(
                    file,
                    where
                            + "data_offsets "
                            + Arrays.toString(offsets)
                            + " are reversed or lie outside the data section of "
                            + dataSize
                            + " bytes (the file may be truncated)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(NamedArray.elementCount(shape), dtype.size());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new WeightFormatException(
                    file, where + "shape " + Arrays.toString(shape) + " is too large");
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new WeightFormatException(
                    file,
                    where
                            + dtype
                            + " "
                            + Arrays.toString(shape)
                            + " needs "
                            + bytes
                            + " bytes but data_offsets "
                            + Arrays.toString(offsets)
                            + " span "
                            + (offsets[1] - offsets[0]));
        }
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] nonNegativeLongs(Path file, String what, JsonNode node, int length)
            throws WeightFormatException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new WeightFormatException(
                    file,
                    what
                            + " must be an array"
                            + (length >= 0 ? " of " + length + " integers" : " of integers")
                            + ", got "
                            + node);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new WeightFormatException(
                        file, what + " must hold non-negative integers, got " + node);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into)
            throws WeightFormatException {
        if (!node.isObject()) {
            throw new WeightFormatException(
                    file, "__metadata__ must be an object of strings, got " + node);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new WeightFormatException(
                        file,
                        "__metadata__ value of '"
                                + e.getKey()
                                + "' must be a string, got "
                                + e.getValue());
            }
            into.put(e.getKey(), e.getValue().asText());
        }
    }

    private static void checkNoOverlap(Path file, Iterable<SafetensorsEntry> entries)
            throws WeightFormatException {
        List<SafetensorsEntry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(
                Comparator.comparingLong(SafetensorsEntry::begin)
                        .thenComparingLong(SafetensorsEntry::end));
        // Compared with the tensor that reaches furthest so far, not just the previous one: an
        // empty tensor sorted between two overlapping ones must not hide their overlap.
        SafetensorsEntry furthest = null;
        for (SafetensorsEntry next : sorted) {
            if (next.byteLength() == 0) {
                continue; // Empty tensors occupy no bytes and may share an offset with anything.
            }
            if (furthest != null && next.begin() < furthest.end()) {
                SafetensorsEntry prev = furthest;
                throw new WeightFormatException(
                        file,
                        "tensors '"
                                + prev.name()
                                + "' "
                                + "["
                                + prev.begin()
                                + ", "
                                + prev.end()
                                + ") and '"
                                + next.name()
                                + "' ["
                                + next.begin()
                                + ", "
                                + next.end()
                                + ") overlap");
            }
            if (furthest == null || next.end() > furthest.end()) {
                furthest = next;
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position)
            throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}
