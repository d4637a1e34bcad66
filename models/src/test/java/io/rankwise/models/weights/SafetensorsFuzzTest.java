package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of valid safetensors files, whole-file and header-only (the JSON rewritten with its
 * length prefix fixed, so that the header's numbers reach the checks): each opens and reads, or is
 * refused with a {@link WeightFormatException} naming the file.
 */
class SafetensorsFuzzTest {
    private static Path dir;
    private static byte[] tiny;
    private static byte[] mixed;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
        Path t = dir.resolve("tiny.safetensors");
        List<NamedArray> tensors = new ArrayList<>(TinyBert.tensors(true, 3).values());
        tensors.add(new NamedArray("empty", new long[] {0, 4}, new float[0]));
        SafetensorsWriter.write(t, tensors, Map.of("format", "pt"));
        tiny = Files.readAllBytes(t);
        byte[] data = new byte[2 * 3 + 2 * 2 + 8 * 2 + 8];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37);
        }
        mixed =
                file(
                        """
                {"__metadata__": {"format": "pt"},
                 "h": {"dtype": "F16", "shape": [3], "data_offsets": [0, 6]},
                 "b": {"dtype": "BF16", "shape": [2, 1], "data_offsets": [6, 10]},
                 "e": {"dtype": "F32", "shape": [0], "data_offsets": [10, 10]},
                 "d": {"dtype": "F64", "shape": [2], "data_offsets": [10, 26]},
                 "i": {"dtype": "I64", "shape": [], "data_offsets": [26, 34]}}
                """,
                        data);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A safetensors file: the header's length, the header, the data. */
    static byte[] file(String header, byte[] data) {
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length)
                .put(header)
                .put(data)
                .array();
    }

    @Property(tries = 1000, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyMutantLoadsOrIsRefusedNamingTheFile(@ForAll("mutants") byte[] bytes)
            throws IOException {
        Path file = Files.write(dir.resolve("mutant.safetensors"), bytes);
        Fuzz.loadsOrRefuses(
                "safetensors mutant of " + bytes.length + " bytes",
                () -> readAll(file),
                Fuzz.messageNames(WeightFormatException.class, file.toString()),
                16L * 1024 * 1024 + 8L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        return Arbitraries.oneOf(
                Mutations.binary(tiny),
                Mutations.binary(mixed),
                headerMutants(tiny),
                headerMutants(mixed));
    }

    /** The header's JSON mutated, with the length prefix fitted to it and the data unchanged. */
    private static Arbitrary<byte[]> headerMutants(byte[] file) {
        int length = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = Arrays.copyOfRange(file, 8, 8 + length);
        byte[] data = Arrays.copyOfRange(file, 8 + length, file.length);
        return Mutations.json(header).map(h -> file(h, data));
    }

    private static int readAll(Path file) throws IOException {
        int n = 0;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (SafetensorsEntry e : r.entries()) {
                if (e.dtype().readableAsFloat()) {
                    n += r.read(e.name()).size();
                }
            }
        }
        return n;
    }

    /**
     * Found by the fuzzer: an empty tensor sorted between two overlapping ones hid the overlap,
     * because each tensor was compared with its predecessor only.
     */
    @Example
    void refusesAnOverlapHiddenBehindAnEmptyTensor() throws IOException {
        Path file =
                Files.write(
                        dir.resolve("overlap.safetensors"),
                        file(
                                """
                        {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                         "e": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
                         "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}
                        """,
                                new byte[16]));
        var e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.open(file));
        assertTrue(
                e.getMessage().contains(file.toString())
                        && e.getMessage().contains("'a' [0, 16) and 'b' [8, 16) overlap"),
                e.getMessage());
    }
}
