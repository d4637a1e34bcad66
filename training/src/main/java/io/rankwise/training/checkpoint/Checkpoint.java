package io.rankwise.training.checkpoint;

import io.rankwise.api.Variable;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.model.VariableReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly: the step, every variable that changes during training
 * (trainable parameters, optimizer slots, the metric's running state) as exact doubles, and the
 * allocator's host state. One binary file, {@code checkpoint/state.bin}, written to a temporary
 * file and then renamed over the old one, so that a killed run always leaves a complete checkpoint
 * behind.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x52574B31; // "RWK1"

    private Checkpoint() {}

    /** The checkpoint file of a run folder. */
    public static Path file(Path runDir) {
        return runDir.resolve("checkpoint").resolve("state.bin");
    }

    /**
     * Writes the state at {@code step} atomically: the variables of {@code reader}, read in one
     * call.
     */
    public static void save(
            Path runDir, long step, VariableReader reader, RankAllocator.State allocator)
            throws IOException {
        List<Variable> variables = reader.variables();
        List<double[]> values = reader.read();
        Path target = file(runDir);
        Files.createDirectories(target.getParent());
        // A fixed temporary name: the next save takes over one that a kill left behind.
        AtomicFiles.replace(
                target,
                target.resolveSibling("state.bin.tmp"),
                temp -> {
                    try (DataOutputStream out =
                            new DataOutputStream(
                                    new BufferedOutputStream(Files.newOutputStream(temp)))) {
                        out.writeInt(MAGIC);
                        out.writeLong(step);
                        out.writeInt(variables.size());
                        for (int i = 0; i < variables.size(); i++) {
                            out.writeUTF(variables.get(i).name());
                            writeDoubles(out, values.get(i));
                        }
                        writeBooleans(out, allocator.keep());
                        writeBooleans(out, allocator.finalKeep());
                        writeDoubles(out, allocator.lastScores());
                    }
                });
    }

    /**
     * The step a run folder's checkpoint holds, read from its header alone: for looking at a
     * stopped run (which step will {@code --resume} continue after?) without building its model.
     *
     * @throws IOException naming the file when it is missing, truncated or not a checkpoint
     */
    public static long step(Path runDir) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint: " + source + " does not exist");
        }
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(source + " is not a Rankwise checkpoint");
            }
            return in.readLong();
        } catch (EOFException e) {
            throw new IOException(source + " is truncated", e);
        }
    }

    /**
     * Reads a checkpoint into {@code variables} (matched by name; the file must hold exactly these)
     * and returns the step and the allocator state. This is how a resumed run continues.
     *
     * @throws IOException naming the file when it is missing, truncated, or does not fit the model
     */
    public static Restored load(Path runDir, List<Variable> variables) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint to resume from: " + source + " does not exist");
        }
        Contents contents = read(runDir);
        if (contents.values().size() != variables.size()) {
            throw new IOException(
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
     * Reads the whole checkpoint of a run folder without assigning anything.
     *
     * @throws java.nio.file.NoSuchFileException if the run folder has no checkpoint
     * @throws IOException naming the file when it is not a checkpoint or is truncated
     */
    public static Contents read(Path runDir) throws IOException {
        Path source = file(runDir);
        // A corrupted length must not make us allocate more than the file could hold.
        long size = Files.size(source);
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(source + " is not a Rankwise checkpoint");
            }
            long step = in.readLong();
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(source + " is corrupted: it claims " + count + " variables");
            }
            Map<String, double[]> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                double[] v = readDoubles(in, size, source);
                if (v == null) {
                    throw new IOException(
                            source + " is corrupted: variable " + name + " has no values");
                }
                values.put(name, v);
            }
            RankAllocator.State allocator =
                    new RankAllocator.State(
                            readBooleans(in, size, source),
                            readBooleans(in, size, source),
                            readDoubles(in, size, source));
            if (allocator.keep() == null) {
                throw new IOException(source + " is corrupted: it holds no rank pattern");
            }
            return new Contents(source, step, values, allocator);
        } catch (EOFException e) {
            throw new IOException(source + " is truncated", e);
        }
    }

    /**
     * A checkpoint read into memory.
     *
     * @param file where it was read from, for messages
     * @param step the last completed step
     * @param values variable name → values, in the order saved
     * @param allocator the allocator's host state
     */
    public record Contents(
            Path file, long step, Map<String, double[]> values, RankAllocator.State allocator) {

        /** Keeps the map's order, read-only. */
        public Contents {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /**
         * Assigns the saved values to {@code variables} (matched by name) and returns the step and
         * the allocator state. Saved variables not asked for are left alone (evaluation needs the
         * parameters and the optimizer's posterior, not the metric's running state); all the
         * asked-for ones are checked before any is assigned.
         *
         * @throws IOException naming the file and the variable when one is missing or has another
         *     size
         */
        public Restored restore(List<Variable> variables) throws IOException {
            for (Variable v : variables) {
                double[] saved = values.get(v.name());
                if (saved == null || saved.length != v.shape().size()) {
                    throw new IOException(
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
            return new Restored(step, allocator);
        }
    }

    /**
     * A loaded checkpoint.
     *
     * @param step the last completed step
     * @param allocator the allocator's host state
     */
    public record Restored(long step, RankAllocator.State allocator) {}

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    private static double[] readDoubles(DataInputStream in, long fileSize, Path source)
            throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (8L * n > fileSize) {
            throw new IOException(
                    source
                            + " is truncated or corrupted: an array of "
                            + n
                            + " values does not fit in its "
                            + fileSize
                            + " bytes");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static void writeBooleans(DataOutputStream out, boolean[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (boolean v : values) {
                out.writeBoolean(v);
            }
        }
    }

    private static boolean[] readBooleans(DataInputStream in, long fileSize, Path source)
            throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > fileSize) {
            throw new IOException(
                    source
                            + " is truncated or corrupted: a mask of "
                            + n
                            + " entries does not fit in its "
                            + fileSize
                            + " bytes");
        }
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readBoolean();
        }
        return values;
    }
}
