package io.rankwise.cli.train;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.api.Variable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly: the step, every variable that changes during
 * training (trainable parameters, optimizer slots, the metric's running state) as exact doubles,
 * and the allocator's host state. One binary file, {@code checkpoint/state.bin}, written to a
 * temporary file and then renamed over the old one, so that a killed run always leaves a complete
 * checkpoint behind.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x52574B31; // "RWK1"

    private Checkpoint() {
    }

    /** The checkpoint file of a run folder. */
    public static Path file(Path runDir) {
        return runDir.resolve("checkpoint").resolve("state.bin");
    }

    /** Writes the state at {@code step} atomically. */
    public static void save(Path runDir, long step, List<Variable> variables, AdaLoraAllocator.State allocator) throws IOException {
        Path target = file(runDir);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("state.bin.tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(MAGIC);
            out.writeLong(step);
            out.writeInt(variables.size());
            for (Variable v : variables) {
                out.writeUTF(v.name());
                writeDoubles(out, v.toDoubles());
            }
            writeBooleans(out, allocator.keep());
            writeBooleans(out, allocator.finalKeep());
            writeDoubles(out, allocator.lastScores());
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(source + " is not a Rankwise checkpoint");
            }
            return in.readLong();
        } catch (EOFException e) {
            throw new IOException(source + " is truncated", e);
        }
    }

    /**
     * Reads a checkpoint into {@code variables} (matched by name) and returns the step and the
     * allocator state.
     *
     * @throws IOException naming the file when it is missing, truncated, or does not fit the model
     */
    public static Restored load(Path runDir, List<Variable> variables) throws IOException {
        Path source = file(runDir);
        if (!Files.exists(source)) {
            throw new IOException("no checkpoint to resume from: " + source + " does not exist");
        }
        Map<String, Variable> byName = new LinkedHashMap<>();
        variables.forEach(v -> byName.put(v.name(), v));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(source + " is not a Rankwise checkpoint");
            }
            long step = in.readLong();
            int count = in.readInt();
            if (count != variables.size()) {
                throw new IOException(source + " holds " + count + " variables; this run has " + variables.size()
                        + " (was the configuration changed?)");
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                double[] values = readDoubles(in);
                Variable v = byName.get(name);
                if (v == null || v.shape().size() != values.length) {
                    throw new IOException(source + ": variable " + name + (v == null ? " is not in this run"
                            : " has " + values.length + " values; the run's has " + v.shape().size()));
                }
                v.assign(values);
            }
            return new Restored(step, new AdaLoraAllocator.State(readBooleans(in), readBooleans(in), readDoubles(in)));
        } catch (EOFException e) {
            throw new IOException(source + " is truncated", e);
        }
    }

    /**
     * A loaded checkpoint.
     *
     * @param step the last completed step
     * @param allocator the allocator's host state
     */
    public record Restored(long step, AdaLoraAllocator.State allocator) {
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
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

    private static boolean[] readBooleans(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readBoolean();
        }
        return values;
    }
}
