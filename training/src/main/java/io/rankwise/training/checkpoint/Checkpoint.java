package io.rankwise.training.checkpoint;

import io.rankwise.api.Variable;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.model.VariableReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Everything a run needs to continue exactly: the step, every variable that changes during training
 * (trainable parameters, optimizer slots, the metric's running state) as exact doubles, and the
 * allocator's host state; and the wall time its steps took so far, so that a resumed run reports
 * the mean time per step of the whole run. One binary file, {@code checkpoint/state.bin}, written
 * to a temporary file and then renamed over the old one, so that a killed run always leaves a
 * complete checkpoint behind.
 *
 * <p>Every read verifies the file before anything is used: a flipped bit, a truncated file, a file
 * of another format version or another run's checkpoint is refused with an {@link
 * InvalidCheckpointException} (bad input: exit code 2 on the command line) naming the file and what
 * is wrong.
 *
 * <h2>Format, version 3</h2>
 *
 * All numbers big-endian ({@link DataOutputStream}):
 *
 * <pre>
 * offset  size  field
 *  0       4    magic "RWCK" (0x5257434B)
 *  4       4    format version, int32 = 3
 *  8      32    run identity: SHA-256 of the run configuration's canonical text ({@link RunIdentity})
 * 40       8    T, the run's total steps, int64
 * 48       8    t, the step the state is after, int64, 0 &lt;= t &lt;= T
 * 56       8    S, the seconds steps 1..t took (all processes of the run), float64, finite, &gt;= 0
 * 64       8    L, the payload's length in bytes, int64
 * 72       L    payload:
 *                 int32 n, then n times: name (modified UTF-8, {@link DataOutputStream#writeUTF}),
 *                   int32 k, k float64 values
 *                 keep mask: int32 k, k bytes 0 or 1
 *                 final keep mask: int32 k (-1: none), k bytes 0 or 1
 *                 last scores: int32 k (-1: none), k float64 values
 * 72+L     4    CRC32C of bytes [0, 72+L): header and payload
 * </pre>
 *
 * <p>A LoRA run has no triplets: its keep mask is empty (k = 0), with no final mask and no scores
 * (-1), so its checkpoint is the same format with an empty allocator part.
 *
 * <p>Version 2 was this layout without S; version 1 the {@code "RWK1"} layout without header or
 * checksum. Both are refused, named as what they are: they do not hold the run's time.
 *
 * <p>A read checks, in this order: the magic and the version, the file's length against the header,
 * the CRC32C, then the ranges: t within [0, T], S finite and &gt;= 0, array lengths within the
 * payload, the masks 0 or 1, the final keep mask and the scores as long as the keep mask, and the
 * payload used up exactly. Resuming, evaluating and exporting also compare the run identity (the
 * configuration hash and T) with the run's own, so that another run's {@code state.bin} is refused.
 */
public final class Checkpoint {
    /** "RWCK". */
    static final int MAGIC = 0x5257434B;

    /** The magic of format version 1, which had neither header nor checksum. */
    static final int MAGIC_V1 = 0x52574B31; // "RWK1"

    /** The format version this class writes and reads. */
    public static final int VERSION = 3;

    /** Bytes before the payload. */
    static final int HEADER_BYTES = 4 + 4 + RunIdentity.HASH_BYTES + 8 + 8 + 8 + 8;

    /** Bytes after the payload: the CRC32C. */
    static final int TRAILER_BYTES = 4;

    private static final String HINT =
            "; the file changed after rankwise wrote it (a disk, copy or editing error): restore it"
                    + " from a backup, or train the run again in a new folder";

    private Checkpoint() {}

    /** The checkpoint file of a run folder. */
    public static Path file(Path runDir) {
        return runDir.resolve("checkpoint").resolve("state.bin");
    }

    /**
     * Writes the state at {@code step} of the run {@code run} atomically: the variables of {@code
     * reader}, read in one call, and {@code trainingSeconds}, the wall time steps 1..step took.
     *
     * @throws IllegalArgumentException if {@code step} is not within [0, T] or {@code
     *     trainingSeconds} is negative or not finite
     */
    public static void save(
            Path runDir,
            RunIdentity run,
            long step,
            double trainingSeconds,
            VariableReader reader,
            RankAllocator.State allocator)
            throws IOException {
        if (step < 0 || step > run.totalSteps()) {
            throw new IllegalArgumentException(
                    "step " + step + " is outside [0, " + run.totalSteps() + "]");
        }
        if (!(trainingSeconds >= 0) || Double.isInfinite(trainingSeconds)) {
            throw new IllegalArgumentException(
                    "trainingSeconds is " + trainingSeconds + "; accepted: a finite number >= 0");
        }
        List<Variable> variables = reader.variables();
        List<double[]> values = reader.read();
        long payload = 4;
        for (int i = 0; i < variables.size(); i++) {
            payload += utfLength(variables.get(i).name()) + 4 + 8L * values.get(i).length;
        }
        payload += maskBytes(allocator.keep()) + maskBytes(allocator.finalKeep());
        payload += 4 + (allocator.lastScores() == null ? 0 : 8L * allocator.lastScores().length);
        long payloadBytes = payload;
        Path target = file(runDir);
        Files.createDirectories(target.getParent());
        // A fixed temporary name: the next save takes over one that a kill left behind.
        AtomicFiles.replace(
                target,
                target.resolveSibling("state.bin.tmp"),
                temp -> {
                    try (OutputStream file = Files.newOutputStream(temp)) {
                        CRC32C crc = new CRC32C();
                        DataOutputStream out =
                                new DataOutputStream(
                                        new BufferedOutputStream(
                                                new CheckedOutputStream(file, crc), 1 << 16));
                        out.writeInt(MAGIC);
                        out.writeInt(VERSION);
                        out.write(run.hashBytes());
                        out.writeLong(run.totalSteps());
                        out.writeLong(step);
                        out.writeDouble(trainingSeconds);
                        out.writeLong(payloadBytes);
                        out.writeInt(variables.size());
                        for (int i = 0; i < variables.size(); i++) {
                            out.writeUTF(variables.get(i).name());
                            writeDoubles(out, values.get(i));
                        }
                        writeBooleans(out, allocator.keep());
                        writeBooleans(out, allocator.finalKeep());
                        writeDoubles(out, allocator.lastScores());
                        out.flush();
                        // size() saturates at 2 GiB.
                        if (out.size() != Integer.MAX_VALUE
                                && out.size() != HEADER_BYTES + payloadBytes) {
                            throw new IllegalStateException(
                                    "wrote "
                                            + out.size()
                                            + " bytes; the header says "
                                            + (HEADER_BYTES + payloadBytes));
                        }
                        // The checksum itself is not checksummed: written past the CRC stream.
                        file.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
                    }
                });
    }

    /**
     * The step a run folder's checkpoint holds: for looking at a stopped run (which step will
     * {@code --resume} continue after?) without building its model. The whole file is verified
     * (format, length, checksum, step range), not its run identity.
     *
     * @throws IOException naming the file when it is missing or cannot be read
     * @throws InvalidCheckpointException naming the file when it is truncated, corrupted, not a
     *     checkpoint or of another format version
     */
    public static long step(Path runDir) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint: " + source + " does not exist");
        }
        return verify(source).step();
    }

    /**
     * Verifies a run folder's checkpoint as {@link #step(Path)} does, and that it was written by
     * the configuration whose hash is {@code configHash} ({@link RunIdentity#configHash}), without
     * reading its payload: for refusing another run's file before the data is loaded (T, the other
     * half of the identity, needs the data). Returns its step.
     *
     * @throws IOException naming the file when it is missing or cannot be read
     * @throws InvalidCheckpointException naming the file when it is invalid or of another
     *     configuration
     */
    public static long verifyConfiguration(Path runDir, String configHash) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint: " + source + " does not exist");
        }
        Header header = verify(source);
        requireConfiguration(source, header.identity(), configHash);
        return header.step();
    }

    /**
     * Verifies a run folder's checkpoint as {@link #step(Path)} does, and that it is the checkpoint
     * of the run {@code run} ({@link Contents#requireRun}), without reading its payload: for
     * refusing a bad file before a model is built. Returns its step.
     *
     * @throws IOException naming the file when it is missing or cannot be read
     * @throws InvalidCheckpointException naming the file when it is invalid or of another run
     */
    public static long verify(Path runDir, RunIdentity run) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint: " + source + " does not exist");
        }
        Header header = verify(source);
        requireRun(source, header.identity(), run);
        return header.step();
    }

    /**
     * Reads a checkpoint of the run {@code run} into {@code variables} (matched by name; the file
     * must hold exactly these) and returns the step, the training time so far and the allocator
     * state. This is how a resumed run continues.
     *
     * @throws IOException naming the file when it is missing or cannot be read
     * @throws InvalidCheckpointException naming the file when it is invalid (see {@link #read}), of
     *     another run, or does not fit the model
     */
    public static Restored load(Path runDir, RunIdentity run, List<Variable> variables)
            throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint to resume from: " + source + " does not exist");
        }
        Contents contents = read(runDir);
        contents.requireRun(run);
        if (contents.values().size() != variables.size()) {
            throw new InvalidCheckpointException(
                    source
                            + " holds "
                            + contents.values().size()
                            + " variables; this run has "
                            + variables.size()
                            + " (was the configuration changed?)");
        }
        return contents.restore(variables);
    }

    /**
     * Reads and verifies the whole checkpoint of a run folder without assigning anything; its run
     * identity is checked by {@link Contents#requireRun}.
     *
     * @throws java.nio.file.NoSuchFileException if the run folder has no checkpoint
     * @throws IOException if it cannot be read
     * @throws InvalidCheckpointException naming the file when it is not a checkpoint, of another
     *     format version, truncated or corrupted (checksum, step range, lengths)
     */
    public static Contents read(Path runDir) throws IOException {
        Path source = file(runDir);
        Header header = verify(source);
        try (DataInputStream in =
                new DataInputStream(
                        new BufferedInputStream(Files.newInputStream(source), 1 << 16))) {
            in.skipNBytes(HEADER_BYTES);
            Payload payload = new Payload(in, header.payloadBytes(), source);
            int count = payload.readCount("variables", 2 + 4, false);
            Map<String, double[]> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = payload.readName();
                double[] v = payload.readDoubles("variable " + name);
                if (v == null) {
                    throw corrupted(source, "variable " + name + " has no values");
                }
                if (values.put(name, v) != null) {
                    throw corrupted(source, "variable " + name + " is stored twice");
                }
            }
            boolean[] keep = payload.readBooleans("the rank mask");
            boolean[] finalKeep = payload.readBooleans("the final rank mask");
            double[] lastScores = payload.readDoubles("the triplet scores");
            if (keep == null) {
                throw corrupted(source, "it holds no rank mask");
            }
            if (finalKeep != null && finalKeep.length != keep.length) {
                throw corrupted(
                        source,
                        "the final rank mask has "
                                + finalKeep.length
                                + " triplets, the rank mask "
                                + keep.length);
            }
            if (lastScores != null && lastScores.length != keep.length) {
                throw corrupted(
                        source,
                        "the triplet scores are "
                                + lastScores.length
                                + ", the rank mask has "
                                + keep.length
                                + " triplets");
            }
            payload.requireEnd();
            return new Contents(
                    source,
                    header.identity(),
                    header.step(),
                    header.trainingSeconds(),
                    values,
                    new RankAllocator.State(keep, finalKeep, lastScores));
        } catch (EOFException e) {
            // verify() saw the whole file: only a file changed since then ends early.
            throw new InvalidCheckpointException(source + " is truncated" + HINT, e);
        }
    }

    /**
     * A checkpoint read into memory.
     *
     * @param file where it was read from, for messages
     * @param identity the run it was written by
     * @param step the last completed step
     * @param trainingSeconds the wall time steps 1..step took, over every process of the run
     * @param values variable name → values, in the order saved
     * @param allocator the allocator's host state
     */
    public record Contents(
            Path file,
            RunIdentity identity,
            long step,
            double trainingSeconds,
            Map<String, double[]> values,
            RankAllocator.State allocator) {

        /** Keeps the map's order, read-only. */
        public Contents {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /**
         * Refuses a checkpoint written by another run: another configuration hash (see {@link
         * RunIdentity} for what it covers) or another length T.
         *
         * @throws InvalidCheckpointException naming the file and both hashes or lengths
         */
        public void requireRun(RunIdentity run) {
            Checkpoint.requireRun(file, identity, run);
        }

        /**
         * Refuses a checkpoint written by another configuration ({@link RunIdentity#configHash}),
         * before T is known.
         *
         * @throws InvalidCheckpointException naming the file and both hashes
         */
        public void requireConfiguration(String configHash) {
            Checkpoint.requireConfiguration(file, identity, configHash);
        }

        /**
         * Assigns the saved values to {@code variables} (matched by name) and returns the step, the
         * training time and the allocator state. Saved variables not asked for are left alone
         * (evaluation needs the parameters and the optimizer's posterior, not the metric's running
         * state); all the asked-for ones are checked before any is assigned.
         *
         * @throws InvalidCheckpointException naming the file and the variable when one is missing
         *     or has another size
         */
        public Restored restore(List<Variable> variables) {
            for (Variable v : variables) {
                double[] saved = values.get(v.name());
                if (saved == null || saved.length != v.shape().size()) {
                    throw new InvalidCheckpointException(
                            file
                                    + ": variable "
                                    + v.name()
                                    + (saved == null
                                            ? " is not in the checkpoint"
                                            : " has "
                                                    + saved.length
                                                    + " values; the model's has "
                                                    + v.shape().size())
                                    + " (was the configuration changed?)");
                }
            }
            for (Variable v : variables) {
                v.assign(values.get(v.name()));
            }
            return new Restored(step, trainingSeconds, allocator);
        }
    }

    /**
     * A loaded checkpoint.
     *
     * @param step the last completed step
     * @param trainingSeconds the wall time steps 1..step took, over every process of the run
     * @param allocator the allocator's host state
     */
    public record Restored(long step, double trainingSeconds, RankAllocator.State allocator) {}

    private static void requireRun(Path file, RunIdentity identity, RunIdentity run) {
        requireConfiguration(file, identity, run.configHash());
        if (identity.totalSteps() != run.totalSteps()) {
            throw new InvalidCheckpointException(
                    file
                            + " was written for a run of "
                            + identity.totalSteps()
                            + " steps; this run has "
                            + run.totalSteps()
                            + " (did the training data change?)");
        }
    }

    private static void requireConfiguration(Path file, RunIdentity identity, String configHash) {
        if (!identity.configHash().equals(configHash)) {
            throw new InvalidCheckpointException(
                    file
                            + " belongs to another run: it was written for the configuration"
                            + " with hash "
                            + identity.shortHash()
                            + "..., this run's is "
                            + configHash.substring(0, 12)
                            + "... (the model, adapter, allocator, optimizer, metric, task"
                            + " data or training settings differ); accepted: the checkpoint"
                            + " this run folder's configuration wrote");
        }
    }

    /** The verified header of a checkpoint file. */
    private record Header(
            RunIdentity identity, long step, double trainingSeconds, long payloadBytes) {}

    /**
     * Checks the magic, the version, the length and the CRC32C of {@code source}, and the step's
     * range, streaming the file once.
     */
    private static Header verify(Path source) throws IOException {
        long size = Files.size(source);
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(source)) {
            byte[] first = in.readNBytes(8);
            if (first.length < 4) {
                throw new InvalidCheckpointException(
                        source
                                + " is not a Rankwise checkpoint, or is truncated: it has "
                                + size
                                + " bytes");
            }
            ByteBuffer start = ByteBuffer.wrap(first);
            int magic = start.getInt();
            if (magic == MAGIC_V1) {
                throw new InvalidCheckpointException(
                        source
                                + " is a checkpoint of format version 1 (\"RWK1\", written by an"
                                + " earlier Rankwise, without header or checksum); this Rankwise"
                                + " reads version "
                                + VERSION
                                + " only: train the run again in a new folder, or use the Rankwise"
                                + " release that wrote it");
            }
            if (magic != MAGIC) {
                throw new InvalidCheckpointException(
                        source
                                + " is not a Rankwise checkpoint (or its first bytes are"
                                + " corrupted): it starts with 0x"
                                + String.format(Locale.ROOT, "%08x", magic)
                                + ", a checkpoint with 0x"
                                + String.format(Locale.ROOT, "%08x", MAGIC)
                                + " (\"RWCK\")");
            }
            if (first.length < 8) {
                throw truncated(source, size, HEADER_BYTES + TRAILER_BYTES);
            }
            int version = start.getInt();
            if (version == 2) {
                throw new InvalidCheckpointException(
                        source
                                + " is a checkpoint of format version 2 (written by an earlier"
                                + " Rankwise, without the run's training time); this Rankwise"
                                + " reads version "
                                + VERSION
                                + " only: train the run again in a new folder, or use the Rankwise"
                                + " release that wrote it");
            }
            if (version != VERSION) {
                throw new InvalidCheckpointException(
                        source
                                + " is a checkpoint of format version "
                                + version
                                + "; this Rankwise reads version "
                                + VERSION
                                + (version > VERSION
                                        ? " (it was written by a newer Rankwise)"
                                        : " (or its header is corrupted)"));
            }
            if (size < HEADER_BYTES + TRAILER_BYTES) {
                throw truncated(source, size, HEADER_BYTES + TRAILER_BYTES);
            }
            byte[] rest = in.readNBytes(HEADER_BYTES - 8);
            if (rest.length < HEADER_BYTES - 8) {
                throw new EOFException();
            }
            crc.update(first);
            crc.update(rest);
            ByteBuffer header = ByteBuffer.wrap(rest);
            byte[] hash = new byte[RunIdentity.HASH_BYTES];
            header.get(hash);
            long total = header.getLong();
            long step = header.getLong();
            double seconds = header.getDouble();
            long payloadBytes = header.getLong();
            long expected = HEADER_BYTES + payloadBytes + TRAILER_BYTES;
            if (payloadBytes < 0 || expected < 0) {
                throw corrupted(source, "its header gives a payload of " + payloadBytes + " bytes");
            }
            if (size < expected) {
                throw truncated(source, size, expected);
            }
            if (size > expected) {
                throw corrupted(
                        source,
                        "it has "
                                + size
                                + " bytes; its header says "
                                + expected
                                + " ("
                                + (size - expected)
                                + " bytes too many)");
            }
            byte[] buffer = new byte[1 << 16];
            for (long left = payloadBytes; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                crc.update(buffer, 0, n);
                left -= n;
            }
            byte[] trailer = in.readNBytes(TRAILER_BYTES);
            if (trailer.length < TRAILER_BYTES) {
                throw new EOFException();
            }
            int stored = ByteBuffer.wrap(trailer).getInt();
            int computed = (int) crc.getValue();
            if (computed != stored) {
                throw corrupted(
                        source,
                        String.format(
                                Locale.ROOT,
                                "checksum mismatch (stored CRC32C %08x, computed %08x)",
                                stored,
                                computed));
            }
            if (total < 0 || step < 0 || step > total) {
                throw corrupted(
                        source,
                        "its step "
                                + step
                                + " is outside [0, "
                                + total
                                + "], the steps of its run");
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw corrupted(
                        source,
                        "its training time is "
                                + seconds
                                + " seconds; accepted: a finite number >= 0");
            }
            return new Header(
                    new RunIdentity(HexFormat.of().formatHex(hash), total),
                    step,
                    seconds,
                    payloadBytes);
        } catch (EOFException e) {
            // The file shrank while it was read.
            throw new InvalidCheckpointException(source + " is truncated" + HINT, e);
        }
    }

    /**
     * The payload of a verified checkpoint, read with every count checked against the bytes left
     * before it allocates.
     */
    private static final class Payload {
        private final DataInputStream in;
        private final Path source;
        private long left;

        Payload(DataInputStream in, long bytes, Path source) {
            this.in = in;
            this.left = bytes;
            this.source = source;
        }

        private void take(long bytes, String what) throws IOException {
            if (bytes > left) {
                throw corrupted(
                        source,
                        what
                                + " needs "
                                + bytes
                                + " bytes, but only "
                                + left
                                + " of the payload are left");
            }
            left -= bytes;
        }

        /**
         * An int32 count of items of at least {@code minBytes} each, or -1 (none) when {@code
         * optional}.
         */
        int readCount(String what, int minBytes, boolean optional) throws IOException {
            take(4, "the count of " + what);
            int n = in.readInt();
            if (n < (optional ? -1 : 0)) {
                throw corrupted(
                        source,
                        "it claims "
                                + n
                                + " "
                                + what
                                + "; accepted: "
                                + (optional ? "-1 (none) or a count >= 0" : "a count >= 0"));
            }
            if ((long) n * minBytes > left) {
                throw corrupted(
                        source,
                        "it claims "
                                + n
                                + " "
                                + what
                                + ", which do not fit in the "
                                + left
                                + " bytes left");
            }
            return n;
        }

        String readName() throws IOException {
            take(2, "a variable name's length");
            int length = in.readUnsignedShort();
            take(length, "a variable name");
            byte[] bytes = in.readNBytes(length);
            // Back through readUTF, which checks the modified UTF-8.
            ByteBuffer utf = ByteBuffer.allocate(2 + length).putShort((short) length).put(bytes);
            try {
                return new DataInputStream(new ByteArrayInputStream(utf.array())).readUTF();
            } catch (UTFDataFormatException e) {
                throw corrupted(source, "a variable name is not valid UTF-8");
            }
        }

        double[] readDoubles(String what) throws IOException {
            int n = readCount("values of " + what, 8, true);
            if (n < 0) {
                return null;
            }
            take(8L * n, "the values of " + what);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = in.readDouble();
            }
            return values;
        }

        boolean[] readBooleans(String what) throws IOException {
            int n = readCount("entries of " + what, 1, true);
            if (n < 0) {
                return null;
            }
            take(n, what);
            boolean[] values = new boolean[n];
            for (int i = 0; i < n; i++) {
                int b = in.readUnsignedByte();
                if (b > 1) {
                    throw corrupted(source, what + " holds the byte " + b + " at " + i);
                }
                values[i] = b == 1;
            }
            return values;
        }

        void requireEnd() throws IOException {
            if (left != 0) {
                throw corrupted(source, left + " bytes of the payload are left unread");
            }
        }
    }

    private static InvalidCheckpointException corrupted(Path source, String what) {
        return new InvalidCheckpointException(source + " is corrupted: " + what + HINT);
    }

    private static InvalidCheckpointException truncated(Path source, long size, long expected) {
        return new InvalidCheckpointException(
                source
                        + " is truncated: it has "
                        + size
                        + " bytes; a complete checkpoint"
                        + (expected == HEADER_BYTES + TRAILER_BYTES ? " has at least " : " has ")
                        + expected
                        + HINT);
    }

    private static long utfLength(String name) {
        long n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            n += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        return 2 + n;
    }

    private static long maskBytes(boolean[] mask) {
        return 4 + (mask == null ? 0 : mask.length);
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    private static void writeBooleans(DataOutputStream out, boolean[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (boolean v : values) {
                out.writeBoolean(v);
            }
        }
    }
}
