package io.rankwise.training.checkpoint;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.testing.Backends;
import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import io.rankwise.training.model.VariableReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assertions;

/**
 * Mutants of checkpoints written by {@link Checkpoint#save}: each is read ({@link Checkpoint#read},
 * {@link Checkpoint#step}, {@link Checkpoint#verify(Path, RunIdentity)}) or refused with an {@link
 * InvalidCheckpointException} naming the file; never an OutOfMemoryError,
 * NegativeArraySizeException, IndexOutOfBoundsException, any other exception or a hang, and never
 * more memory than a bound.
 *
 * <p>Three kinds of mutants, so that every check is reached: whole-file mutations (bit flips,
 * truncations, overwritten bytes, length and count fields set to huge or negative values, splices,
 * random bytes), which the CRC32C mostly refuses; the same with the CRC32C recomputed, which reach
 * the header's range checks; and mutations of the payload alone with the header's length and the
 * CRC32C fitted to them, which reach the payload's parser (counts, names, masks).
 */
class CheckpointFuzzTest {
    private static final int TRAILER = 4;

    private static Path root;
    private static Path folder;
    private static RunIdentity identity;
    private static List<byte[]> seeds;

    @BeforeContainer
    static void seeds() throws IOException {
        root = Files.createTempDirectory("checkpoint-fuzz");
        folder = root.resolve("mutant");
        identity = new RunIdentity("ab".repeat(32), 8);
        Backend backend = Backends.get("djl");
        String prefix = Backends.unique("checkpoint-fuzz");
        List<Variable> variables =
                List.of(
                        variable(backend, prefix + "layer.0.lora_A", 12),
                        // A name outside ASCII: modified UTF-8 of two and three bytes.
                        variable(backend, prefix + "layer.0.λ.lora_E\u20ac", 3),
                        variable(backend, prefix + "empty", 0),
                        variable(backend, prefix + "head.weight", 40));
        try (VariableReader reader = new VariableReader(backend, variables)) {
            seeds =
                    List.of(
                            written(
                                    root.resolve("scores"),
                                    5,
                                    12.5,
                                    reader,
                                    new RankAllocator.State(
                                            new boolean[] {true, false, true, true, false, true},
                                            null,
                                            new double[] {0.5, -1, 2, 0, 1e-3, 7})),
                            written(
                                    root.resolve("final"),
                                    8,
                                    0,
                                    reader,
                                    new RankAllocator.State(
                                            new boolean[] {false, true, true},
                                            new boolean[] {false, true, false},
                                            null)));
        }
    }

    private static Variable variable(Backend backend, String name, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = Math.sin(i + 1) * Math.pow(10, i % 7 - 3);
        }
        return backend.variable(name, values, Shape.of(size), DType.FLOAT64, true);
    }

    private static byte[] written(
            Path dir, long step, double seconds, VariableReader reader, RankAllocator.State state)
            throws IOException {
        Checkpoint.save(dir, identity, step, seconds, reader, state);
        // The seed must itself load: a fuzz run from a broken seed would test little.
        Checkpoint.read(dir).requireRun(identity);
        return Files.readAllBytes(Checkpoint.file(dir));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 1000, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyMutantLoadsOrIsRefusedNamingTheFile(@ForAll("wholeFile") byte[] bytes)
            throws IOException {
        check("mutant", bytes);
    }

    @Property(tries = 1000, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyResealedMutantLoadsOrIsRefusedNamingTheFile(@ForAll("resealed") byte[] bytes)
            throws IOException {
        check("resealed mutant", bytes);
    }

    @Property(tries = 1500, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyPayloadMutantLoadsOrIsRefusedNamingTheFile(@ForAll("payloads") byte[] bytes)
            throws IOException {
        check("payload mutant", bytes);
    }

    private static void check(String kind, byte[] bytes) throws IOException {
        Path file = Checkpoint.file(folder);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Fuzz.loadsOrRefuses(
                kind + " of " + bytes.length + " bytes: " + hex(bytes),
                () -> {
                    long step = Checkpoint.step(folder);
                    Checkpoint.Contents contents = Checkpoint.read(folder);
                    if (contents.step() != step) {
                        throw new AssertionError("step() says " + step + ", read() " + contents);
                    }
                    return Checkpoint.verify(folder, identity);
                },
                Fuzz.messageNames(InvalidCheckpointException.class, file.toString()),
                16L * 1024 * 1024 + 16L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> wholeFile() {
        return Arbitraries.oneOf(seeds.stream().map(Mutations::binary).toList());
    }

    @Provide
    Arbitrary<byte[]> resealed() {
        return wholeFile().map(CheckpointFuzzTest::reseal);
    }

    /** The payload mutated; the header's length L and the CRC32C fitted to it. */
    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.oneOf(
                seeds.stream()
                        .map(
                                seed -> {
                                    byte[] header = Arrays.copyOf(seed, Checkpoint.HEADER_BYTES);
                                    byte[] payload =
                                            Arrays.copyOfRange(
                                                    seed,
                                                    Checkpoint.HEADER_BYTES,
                                                    seed.length - TRAILER);
                                    return Mutations.binary(payload)
                                            .map(p -> withPayload(header, p));
                                })
                        .toList());
    }

    private static byte[] withPayload(byte[] header, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(header.length + payload.length + TRAILER);
        b.put(header).put(payload);
        b.putLong(Checkpoint.HEADER_BYTES - 8, payload.length);
        return reseal(b.array());
    }

    /** {@code bytes} with its last 4 bytes set to the CRC32C of the rest. */
    private static byte[] reseal(byte[] bytes) {
        if (bytes.length < TRAILER) {
            return bytes;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - TRAILER);
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).putInt(out.length - TRAILER, (int) crc.getValue());
        return out;
    }

    /**
     * Found reading the payload's parser beside the fuzzer: a count of -1 variables (the "none" of
     * the optional arrays) was read as no variables, so that a file whose payload held only the
     * masks loaded as a checkpoint of nothing.
     */
    @Example
    void refusesANegativeCountOfVariables() throws IOException {
        byte[] seed = seeds.get(0);
        ByteBuffer b = ByteBuffer.wrap(seed);
        int at = Checkpoint.HEADER_BYTES;
        int variables = b.getInt(at);
        at += 4;
        for (int i = 0; i < variables; i++) {
            at += 2 + (b.getShort(at) & 0xffff);
            at += 4 + 8 * b.getInt(at);
        }
        byte[] masks = Arrays.copyOfRange(seed, at, seed.length - TRAILER);
        byte[] payload = ByteBuffer.allocate(4 + masks.length).putInt(-1).put(masks).array();
        Path file = Checkpoint.file(folder);
        Files.createDirectories(file.getParent());
        Files.write(file, withPayload(Arrays.copyOf(seed, Checkpoint.HEADER_BYTES), payload));
        InvalidCheckpointException e =
                Assertions.assertThrows(
                        InvalidCheckpointException.class, () -> Checkpoint.read(folder));
        Assertions.assertTrue(
                e.getMessage()
                        .startsWith(
                                file
                                        + " is corrupted: it claims -1 variables; accepted: a count"
                                        + " >= 0"),
                e.getMessage());
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 200))
                + (bytes.length > 200 ? "..." : "");
    }
}
