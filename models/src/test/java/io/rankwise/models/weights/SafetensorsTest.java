package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir Path dir;

    /** A safetensors file from a header written by hand and the data bytes. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b =
                ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(dir.resolve(name), b.array());
    }

    private static byte[] le(int elementSize, long... values) {
        ByteBuffer b =
                ByteBuffer.allocate(elementSize * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (elementSize) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void roundTripsFloat32WithMetadata() throws IOException {
        List<NamedArray> tensors =
                List.of(
                        new NamedArray(
                                "a.weight",
                                new long[] {2, 3},
                                new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}),
                        new NamedArray("scalar", new long[] {}, new float[] {7}),
                        new NamedArray("empty", new long[] {0, 4}, new float[0]),
                        new NamedArray("big", new long[] {300_000}, new float[300_000]));
        tensors.get(3).data()[299_999] = 42;
        Path file = dir.resolve("out/adapter_model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt"), r.metadata());
            assertEquals(List.of("a.weight", "scalar", "empty", "big"), r.names());
            for (NamedArray t : tensors) {
                assertEquals(t, r.read(t.name()));
                assertEquals(SafetensorsDType.F32, r.entry(t.name()).orElseThrow().dtype());
            }
        }
        // The header is padded so that the data section starts 8-byte aligned.
        long headerLength =
                ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong();
        assertEquals(0, headerLength % 8);
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void convertsHalfBfloatAndDouble() throws IOException {
        String header =
                "{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]},"
                        + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[10,18]},"
                        + "\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[18,26]}}";
        ByteBuffer data = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
        data.put(le(2, 0x3C00, 0xC000, 0x0001))
                .put(le(2, 0x3F80, 0xC040))
                .putDouble(0.1)
                .putLong(5);
        Path file = raw("mixed.safetensors", header, data.array());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1, -2, 0x1p-24f}, r.read("h").data());
            assertArrayEquals(new float[] {1, -3}, r.read("b").data());
            assertArrayEquals(new float[] {0.1f}, r.read("d").data());
            var e = assertThrows(WeightFormatException.class, () -> r.read("ids"));
            assertTrue(e.getMessage().contains("dtype I64"), e.getMessage());
        }
    }

    private void assertRejected(String name, String header, byte[] data, String expected)
            throws IOException {
        Path file = raw(name, header, data);
        var e =
                assertThrows(
                        WeightFormatException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsMalformedHeaders() throws IOException {
        byte[] eight = new byte[8];
        assertRejected(
                "outside.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                new byte[4],
                "outside the data section");
        assertRejected(
                "mismatch.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                eight,
                "needs 12 bytes");
        assertRejected(
                "overlap.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                eight,
                "overlap");
        assertRejected(
                "dtype.safetensors",
                "{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                eight,
                "unknown dtype");
        assertRejected(
                "negative.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                eight,
                "non-negative");
        assertRejected(
                "reversed.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}",
                eight,
                "outside the data section");
        assertRejected("json.safetensors", "{\"a\": [", eight, "not valid JSON");
        assertRejected(
                "dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                eight,
                "not valid JSON");
        assertRejected(
                "huge.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,8]}}",
                eight,
                "too large");
        assertRejected(
                "meta.safetensors",
                "{\"__metadata__\":{\"n\":1}}",
                new byte[0],
                "must be a string");
    }

    @Test
    void rejectsImpossibleHeaderLengthsAndTruncation() throws IOException {
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertTrue(
                assertThrows(WeightFormatException.class, () -> SafetensorsReader.open(tiny))
                        .getMessage()
                        .contains("too short"));
        for (long claimed : new long[] {-1L, 1L << 40, 1000}) {
            ByteBuffer b =
                    ByteBuffer.allocate(16)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(claimed)
                            .putLong(0);
            Path file = Files.write(dir.resolve("len" + claimed + ".safetensors"), b.array());
            var e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.open(file));
            assertTrue(e.getMessage().contains("impossible"), e.getMessage());
        }
        // A real file cut short at several points.
        Path whole = dir.resolve("whole.safetensors");
        SafetensorsWriter.write(whole, TinyBert.weights(true, 3).asMap().values());
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] {4, 9, 100, bytes.length / 2, bytes.length - 1}) {
            Path file =
                    Files.write(
                            dir.resolve("cut" + cut + ".safetensors"), Arrays.copyOf(bytes, cut));
            assertThrows(
                    WeightFormatException.class,
                    () -> SafetensorsReader.open(file).close(),
                    "cut at " + cut);
        }
    }

    @Test
    void writerRefusesDuplicateNames() {
        NamedArray a = new NamedArray("a", new long[] {1}, new float[1]);
        assertThrows(
                IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), List.of(a, a)));
    }
}
