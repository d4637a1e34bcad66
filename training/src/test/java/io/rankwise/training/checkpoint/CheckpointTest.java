package io.rankwise.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Device;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.training.Rankwise;
import io.rankwise.training.RunResult;
import io.rankwise.training.SmallRun;
import io.rankwise.training.spec.LrSchedule;
import io.rankwise.training.spec.RunSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkpoint format's integrity: every corruption a user has met (a flipped bit in a stored
 * double, a truncated file, an edited step, another run's file, a flipped rank-mask byte, a file of
 * the old format) is refused naming the file and what is wrong, on reading and on resuming. The
 * corrupted files are made from the checkpoint of a real run (SmallRun: 8 steps, djl).
 */
class CheckpointTest {
    private static final Plugins PLUGINS = Plugins.discover();
    private static final RunSpec SPEC = SmallRun.spec("djl");
    private static final long TOTAL = 8;

    @TempDir static Path shared;
    @TempDir Path dir;

    private static Task task;
    private static Path run;
    private static byte[] original;

    @BeforeAll
    static void trainOnce() throws IOException {
        task = SpamAssassin.builder().maxTrain(64).maxEval(16).seed(11).build().load();
        run = shared.resolve("run");
        RunResult result = Rankwise.fineTune(PLUGINS, SPEC, task, run, false, List.of());
        assertEquals(TOTAL, result.steps());
        original = Files.readAllBytes(Checkpoint.file(run));
    }

    // ---- helpers: a run folder holding given checkpoint bytes, and the format's offsets ----

    /** A copy of the run's config-free folder whose checkpoint holds {@code bytes}. */
    private Path folderWith(byte[] bytes) throws IOException {
        Path folder = Files.createTempDirectory(dir, "run");
        Files.createDirectories(Checkpoint.file(folder).getParent());
        Files.write(Checkpoint.file(folder), bytes);
        return folder;
    }

    /** The offset of the first stored double of the first variable. */
    private static int firstDouble(byte[] bytes) {
        int nameAt = Checkpoint.HEADER_BYTES + 4;
        int nameLength = ByteBuffer.wrap(bytes, nameAt, 2).getShort() & 0xffff;
        int count = ByteBuffer.wrap(bytes, nameAt + 2 + nameLength, 4).getInt();
        assertTrue(count > 0, "the first variable has values");
        return nameAt + 2 + nameLength + 4;
    }

    /** The offset of the keep mask's length, past all variables. */
    private static int keepMask(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = Checkpoint.HEADER_BYTES;
        int variables = b.getInt(at);
        at += 4;
        for (int i = 0; i < variables; i++) {
            at += 2 + (b.getShort(at) & 0xffff);
            at += 4 + 8 * b.getInt(at);
        }
        return at;
    }

    private static byte[] flip(byte[] bytes, int offset, int mask) {
        byte[] out = bytes.clone();
        out[offset] ^= (byte) mask;
        return out;
    }

    /** {@code bytes} with the CRC32C recomputed: a corruption only the range checks can see. */
    private static byte[] resealed(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).putInt(bytes.length - 4, (int) crc.getValue());
        return out;
    }

    private static byte[] withLong(byte[] bytes, int offset, long value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).putLong(offset, value);
        return out;
    }

    private static final int TOTAL_AT = 8 + RunIdentity.HASH_BYTES;
    private static final int STEP_AT = TOTAL_AT + 8;
    private static final int SECONDS_AT = STEP_AT + 8;
    private static final int LENGTH_AT = SECONDS_AT + 8;

    private static InvalidCheckpointException refusedOnRead(Path folder, String expected) {
        InvalidCheckpointException e =
                assertThrows(InvalidCheckpointException.class, () -> Checkpoint.read(folder));
        assertTrue(
                e.getMessage().startsWith(Checkpoint.file(folder) + " "),
                "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    /** Resuming the run from {@code folder} is refused, before any step, with {@code expected}. */
    private static void refusedOnResume(Path folder, RunSpec spec, String expected) {
        InvalidCheckpointException e =
                assertThrows(
                        InvalidCheckpointException.class,
                        () -> Rankwise.fineTune(PLUGINS, spec, task, folder, true, List.of()));
        assertTrue(e.getMessage().contains(Checkpoint.file(folder).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!Files.exists(folder.resolve("rank_pattern.json")), "nothing of a finished run");
    }

    // ---- the intact checkpoint ----

    @Test
    void aRealCheckpointReadsBackWithItsRunsIdentity() throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(run);
        assertEquals(TOTAL, contents.step());
        assertEquals(TOTAL, Checkpoint.step(run));
        assertEquals(RunIdentity.of(SPEC, TOTAL), contents.identity());
        contents.requireRun(RunIdentity.of(SPEC, TOTAL));
        assertEquals("RWCK", new String(Arrays.copyOf(original, 4), StandardCharsets.US_ASCII));
        assertEquals(Checkpoint.VERSION, ByteBuffer.wrap(original).getInt(4));
        assertEquals(
                original.length,
                Checkpoint.HEADER_BYTES + ByteBuffer.wrap(original).getLong(LENGTH_AT) + 4);
        double seconds = ByteBuffer.wrap(original).getDouble(SECONDS_AT);
        assertTrue(seconds > 0 && Double.isFinite(seconds), "the run's training time: " + seconds);
        assertEquals(seconds, contents.trainingSeconds());
    }

    // ---- bit flips in a stored double ----

    @Test
    void aFlippedMantissaBitIsACheckumMismatch() throws IOException {
        // The lowest mantissa bit of the first value: one ulp, which used to load silently.
        int at = firstDouble(original) + 7;
        Path folder = folderWith(flip(original, at, 0x01));
        refusedOnRead(folder, " is corrupted: checksum mismatch (stored CRC32C ");
        assertThrows(InvalidCheckpointException.class, () -> Checkpoint.step(folder));
        refusedOnResume(folder, SPEC, "checksum mismatch");
    }

    @Test
    void aFlippedExponentBitIsACheckumMismatchBeforeAnythingIsComputed() throws IOException {
        // The highest exponent bit (after the sign) of the first value.
        int at = firstDouble(original);
        byte[] bytes = flip(original, at, 0x40);
        double was = ByteBuffer.wrap(original).getDouble(at);
        double is = ByteBuffer.wrap(bytes).getDouble(at);
        assertTrue(Math.abs(is) > 1e100 * Math.abs(was) || !Double.isFinite(is), was + " " + is);
        Path folder = folderWith(bytes);
        InvalidCheckpointException e = refusedOnRead(folder, " is corrupted: checksum mismatch");
        assertTrue(
                e.getMessage().matches(".*\\(stored CRC32C [0-9a-f]{8}, computed [0-9a-f]{8}\\).*"),
                e.getMessage());
    }

    // ---- truncation ----

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 6, 40, 71, 75, 76, 1000, -4, -1})
    void aTruncatedFileIsRefusedAsTruncated(int length) throws IOException {
        int keep = length >= 0 ? length : original.length + length;
        Path folder = folderWith(Arrays.copyOf(original, keep));
        InvalidCheckpointException e = refusedOnRead(folder, "truncated");
        assertThrows(InvalidCheckpointException.class, () -> Checkpoint.step(folder));
        if (keep >= 8) {
            assertTrue(
                    e.getMessage().contains(" is truncated: it has " + keep + " bytes"),
                    e.getMessage());
        }
    }

    @Test
    void resumingFromATruncatedFileIsRefusedNamingIt() throws IOException {
        Path folder = folderWith(Arrays.copyOf(original, original.length / 2));
        refusedOnResume(folder, SPEC, " is truncated: it has " + original.length / 2 + " bytes");
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] longer = Arrays.copyOf(original, original.length + 3);
        refusedOnRead(folderWith(longer), "bytes too many");
    }

    // ---- the step ----

    @ParameterizedTest
    @ValueSource(longs = {-5, 9, 5})
    void anEditedStepIsACheckumMismatch(long step) throws IOException {
        // Step 5 is in range: only the checksum tells that a finished run's file was changed.
        refusedOnRead(
                folderWith(withLong(original, STEP_AT, step)), "is corrupted: checksum mismatch");
    }

    @ParameterizedTest
    @ValueSource(longs = {-5, 9, Long.MAX_VALUE})
    void aStepOutsideTheRunIsRefusedEvenWithAMatchingChecksum(long step) throws IOException {
        Path folder = folderWith(resealed(withLong(original, STEP_AT, step)));
        refusedOnRead(folder, "is corrupted: its step " + step + " is outside [0, 8]");
        assertThrows(InvalidCheckpointException.class, () -> Checkpoint.step(folder));
        if (step == -5) {
            refusedOnResume(folder, SPEC, "its step -5 is outside [0, 8]");
        }
    }

    @Test
    void aCheckpointOfALongerRunIsRefusedByTheRun() throws IOException {
        // Step 100 of a 100-step run: valid by itself, but this run has 8 steps.
        byte[] bytes = withLong(withLong(original, TOTAL_AT, 100), STEP_AT, 100);
        Path folder = folderWith(resealed(bytes));
        assertEquals(100, Checkpoint.step(folder));
        InvalidCheckpointException e =
                assertThrows(
                        InvalidCheckpointException.class,
                        () -> Checkpoint.read(folder).requireRun(RunIdentity.of(SPEC, TOTAL)));
        assertTrue(
                e.getMessage().contains("written for a run of 100 steps; this run has 8"),
                e.getMessage());
    }

    // ---- another run ----

    @Test
    void anotherRunsCheckpointIsRefusedByItsConfigurationHash() throws IOException {
        RunSpec other = withLearningRate(SPEC, 0.02);
        Path folder = folderWith(original);
        RunIdentity theirs = RunIdentity.of(other, TOTAL);
        InvalidCheckpointException e =
                assertThrows(
                        InvalidCheckpointException.class,
                        () -> Checkpoint.read(folder).requireRun(theirs));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                Checkpoint.file(folder)
                                        + " belongs to another run: it was written for the"
                                        + " configuration with hash "
                                        + RunIdentity.of(SPEC, TOTAL).shortHash()
                                        + "..., this run's is "
                                        + theirs.shortHash()),
                e.getMessage());
        refusedOnResume(folder, other, "belongs to another run");
        // The header alone, before the data is loaded: the configuration hash without T.
        InvalidCheckpointException early =
                assertThrows(
                        InvalidCheckpointException.class,
                        () ->
                                Checkpoint.verifyConfiguration(
                                        folder, RunIdentity.configHash(other)));
        assertEquals(e.getMessage(), early.getMessage());
        assertEquals(TOTAL, Checkpoint.verifyConfiguration(folder, RunIdentity.configHash(SPEC)));
    }

    @Test
    void theHashCoversTheModelButNotTheBackendNorTheCadence() {
        String hash = RunIdentity.of(SPEC, TOTAL).configHash();
        RunSpec elsewhere =
                SPEC.withBackend(new RunSpec.Backend("tensorflow", Device.parse("cuda:1"), 3));
        assertEquals(hash, RunIdentity.of(elsewhere, TOTAL).configHash(), "backend left out");
        RunSpec.Training t = SPEC.training();
        RunSpec otherCadence =
                withTraining(
                        SPEC,
                        new RunSpec.Training(
                                t.epochs(),
                                t.maxSteps(),
                                t.batchSize(),
                                t.gradAccumulation(),
                                t.lrSchedule(),
                                4,
                                2,
                                5,
                                0,
                                t.seed()));
        assertEquals(hash, RunIdentity.of(otherCadence, TOTAL).configHash(), "cadence left out");
        RunSpec otherSchedule =
                withTraining(
                        SPEC,
                        new RunSpec.Training(
                                t.epochs(),
                                t.maxSteps(),
                                t.batchSize(),
                                t.gradAccumulation(),
                                new LrSchedule.Linear(3),
                                t.testSamples(),
                                t.logEvery(),
                                t.evalEvery(),
                                t.checkpointEvery(),
                                t.seed()));
        assertNotEquals(hash, RunIdentity.of(otherSchedule, TOTAL).configHash());
        assertNotEquals(hash, RunIdentity.of(withLearningRate(SPEC, 0.02), TOTAL).configHash());
        RunSpec.Adapter a = SPEC.adapter();
        RunSpec otherAdapterDropout =
                new RunSpec(
                        SPEC.backend(),
                        SPEC.model(),
                        new RunSpec.Adapter(
                                a.kind(), a.initR(), a.loraAlpha(), a.targetModules(), 0.2),
                        SPEC.allocator(),
                        SPEC.optimizer(),
                        SPEC.metric(),
                        SPEC.task(),
                        SPEC.training());
        assertNotEquals(
                hash,
                RunIdentity.of(otherAdapterDropout, TOTAL).configHash(),
                "adapter.lora_dropout changes the path training takes");
        assertEquals(
                RunIdentity.of(withLearningRate(SPEC, 10), TOTAL),
                RunIdentity.of(withLearningRate(SPEC, 10.0), TOTAL),
                "10 and 10.0 are the same option value");
    }

    /** A spec with other allocator and metric sections. */
    private static RunSpec withAllocation(RunSpec s, RunSpec.Plugin allocator, String metric) {
        return new RunSpec(
                s.backend(),
                s.model(),
                s.adapter(),
                allocator,
                s.optimizer(),
                RunSpec.Plugin.named(metric),
                s.task(),
                s.training());
    }

    @Test
    void aLoraRunsHashLeavesOutTheAllocatorAndMetricItDoesNotUse() {
        RunSpec lora = SmallRun.lora("djl", SmallRun.ivon());
        RunSpec otherSections =
                withAllocation(
                        lora, new RunSpec.Plugin("adalora", Map.of("target_r", 1)), "variance");
        assertEquals(RunIdentity.of(lora, TOTAL), RunIdentity.of(otherSections, TOTAL));
        assertFalse(RunIdentity.canonical(lora).contains("allocator"), RunIdentity.canonical(lora));
        assertFalse(RunIdentity.canonical(lora).contains("metric"), RunIdentity.canonical(lora));
        assertTrue(RunIdentity.canonical(lora).contains("adapter.kind=lora\n"));
        // AdaLoRA's hash keeps both, and differs from LoRA's of the same settings.
        RunSpec adalora = SmallRun.spec("djl");
        assertNotEquals(
                RunIdentity.of(adalora, TOTAL),
                RunIdentity.of(withAllocation(adalora, adalora.allocator(), "variance"), TOTAL));
        assertNotEquals(RunIdentity.of(adalora, TOTAL), RunIdentity.of(lora, TOTAL));
    }

    // ---- the rank mask and the counts ----

    @Test
    void aFlippedRankMaskByteIsACheckumMismatch() throws IOException {
        int mask = keepMask(original);
        int triplets = ByteBuffer.wrap(original).getInt(mask);
        assertEquals(6 * 2 * 3, triplets, "query and value of 6 layers at rank 3");
        refusedOnRead(
                folderWith(flip(original, mask + 4 + 5, 0x01)), "is corrupted: checksum mismatch");
        // A byte that is neither 0 nor 1, checksum matching.
        byte[] two = original.clone();
        two[mask + 4 + 5] = 2;
        refusedOnRead(folderWith(resealed(two)), "the rank mask holds the byte 2 at 5");
    }

    @Test
    void aRankMaskOfAnotherLengthThanTheModelsIsRefusedOnResume() throws IOException {
        // A consistent file (checksum, lengths) whose mask has 35 triplets; the model has 36.
        int mask = keepMask(original);
        ByteBuffer b = ByteBuffer.allocate(mask + 4 + 35 + 4 + 4 + 4);
        b.put(original, 0, mask).putInt(35).put(original, mask + 4, 35).putInt(-1).putInt(-1);
        b.putLong(LENGTH_AT, b.capacity() - Checkpoint.HEADER_BYTES - 4);
        Path folder = folderWith(resealed(b.array()));
        assertEquals(35, Checkpoint.read(folder).allocator().keep().length);
        refusedOnResume(folder, SPEC, "rank pattern has 35 triplets; this model has 36");
        // Inside the file, the masks and scores must agree.
        ByteBuffer scores = ByteBuffer.allocate(b.capacity() + 8);
        scores.put(b.array(), 0, b.capacity() - 8).putInt(1).putDouble(0.5);
        scores.putLong(LENGTH_AT, scores.capacity() - Checkpoint.HEADER_BYTES - 4);
        refusedOnRead(
                folderWith(resealed(scores.array())),
                "the triplet scores are 1, the rank mask has 35 triplets");
    }

    @Test
    void countsThatCannotFitAreRefusedBeforeAllocating() throws IOException {
        byte[] bytes = original.clone();
        ByteBuffer.wrap(bytes).putInt(Checkpoint.HEADER_BYTES, Integer.MAX_VALUE);
        refusedOnRead(folderWith(resealed(bytes)), "it claims 2147483647 variables");
        byte[] values = original.clone();
        ByteBuffer.wrap(values).putInt(firstDouble(original) - 4, 1 << 30);
        refusedOnRead(folderWith(resealed(values)), "which do not fit in the");
    }

    // ---- format versions ----

    @Test
    void aVersionOneCheckpointIsNamedWithBothVersions() throws IOException {
        // The "RWK1" layout: magic, step, then the same payload, nothing else.
        long payload = original.length - Checkpoint.HEADER_BYTES - 4;
        ByteBuffer v1 = ByteBuffer.allocate((int) (12 + payload));
        v1.putInt(0x52574B31).putLong(8);
        v1.put(original, Checkpoint.HEADER_BYTES, (int) payload);
        Path folder = folderWith(v1.array());
        InvalidCheckpointException e =
                refusedOnRead(folder, " is a checkpoint of format version 1 (\"RWK1\"");
        assertTrue(e.getMessage().contains("reads version 3"), e.getMessage());
        assertThrows(InvalidCheckpointException.class, () -> Checkpoint.step(folder));
        refusedOnResume(folder, SPEC, "format version 1");
    }

    /**
     * Version 2: the same layout without the training time S. Refused as such, before its length is
     * compared with a version-3 header.
     */
    @Test
    void aVersionTwoCheckpointIsNamedWithBothVersions() throws IOException {
        ByteBuffer v2 = ByteBuffer.allocate(original.length - 8);
        v2.put(original, 0, SECONDS_AT).put(original, LENGTH_AT, original.length - LENGTH_AT);
        v2.putInt(4, 2);
        Path folder = folderWith(resealed(v2.array()));
        InvalidCheckpointException e =
                refusedOnRead(
                        folder,
                        " is a checkpoint of format version 2 (written by an earlier Rankwise,"
                                + " without the run's training time); this Rankwise reads"
                                + " version 3 only: train the run again in a new folder, or use"
                                + " the Rankwise release that wrote it");
        assertEquals(1, e.getMessage().lines().count(), "one line");
        assertThrows(InvalidCheckpointException.class, () -> Checkpoint.step(folder));
        refusedOnResume(folder, SPEC, "format version 2");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY})
    void aTrainingTimeThatNoRunTakesIsRefused(double seconds) throws IOException {
        byte[] bytes = original.clone();
        ByteBuffer.wrap(bytes).putDouble(SECONDS_AT, seconds);
        refusedOnRead(folderWith(bytes), "is corrupted: checksum mismatch");
        refusedOnRead(
                folderWith(resealed(bytes)),
                "is corrupted: its training time is " + seconds + " seconds");
    }

    @Test
    void aNewerVersionAndAForeignFileAreNamed() throws IOException {
        byte[] v4 = original.clone();
        ByteBuffer.wrap(v4).putInt(4, 4);
        refusedOnRead(
                folderWith(v4),
                "is a checkpoint of format version 4; this Rankwise reads version 3 (it was written"
                        + " by a newer Rankwise)");
        refusedOnRead(
                folderWith("PK\u0003\u0004 not a checkpoint".getBytes(StandardCharsets.UTF_8)),
                "is not a Rankwise checkpoint");
    }

    // ---- spec variants ----

    private static RunSpec withLearningRate(RunSpec spec, Number lr) {
        Map<String, Object> options = new HashMap<>(spec.optimizer().options());
        options.put("lr", lr);
        return new RunSpec(
                spec.backend(),
                spec.model(),
                spec.adapter(),
                spec.allocator(),
                new RunSpec.Plugin(spec.optimizer().name(), options),
                spec.metric(),
                spec.task(),
                spec.training());
    }

    private static RunSpec withTraining(RunSpec spec, RunSpec.Training training) {
        return new RunSpec(
                spec.backend(),
                spec.model(),
                spec.adapter(),
                spec.allocator(),
                spec.optimizer(),
                spec.metric(),
                spec.task(),
                training);
    }
}
