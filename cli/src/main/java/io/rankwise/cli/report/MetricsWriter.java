package io.rankwise.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Appends to a {@code metrics.jsonl}, one line per call, flushed at once: a killed run keeps every
 * line it logged, at worst with a half-written last one (which {@link MetricsLog#read} skips).
 */
public final class MetricsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Writer out;

    private MetricsWriter(Writer out) {
        this.out = out;
    }

    /**
     * Opens {@code file} for appending, creating it (and its folder) when missing. A half-written
     * last line left by a killed run is cut off first: appended lines would otherwise glue onto it
     * and turn a harmless truncated tail into a corrupt line in the middle of the log.
     */
    public static MetricsWriter append(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(file)) {
            cutPartialLastLine(file);
        }
        return new MetricsWriter(
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND));
    }

    /**
     * Reopens the log of a run resumed from its checkpoint of {@code checkpointStep}: lines of
     * later steps (logged by the stopped run after its checkpoint, and about to be logged again)
     * and a half-written last line are dropped, so that every step appears once. The kept lines are
     * rewritten through a temporary file and a rename, so a kill now loses nothing.
     */
    public static MetricsWriter resume(Path file, long checkpointStep) throws IOException {
        if (Files.exists(file)) {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                OptionalLong step = stepOf(line);
                if (step.isPresent() && step.getAsLong() <= checkpointStep) {
                    kept.add(line);
                }
            }
            AtomicFiles.replace(
                    file,
                    file.resolveSibling(file.getFileName() + ".tmp"),
                    temp -> Files.write(temp, kept, StandardCharsets.UTF_8));
        }
        return append(file);
    }

    /**
     * The {@code step} of a log line; empty for a line that is not a whole JSON object with one.
     */
    private static OptionalLong stepOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.path("step").canConvertToLong()
                    ? OptionalLong.of(node.get("step").asLong())
                    : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Logs a training step. */
    public void step(StepEntry entry) throws IOException {
        write(MetricsJson.line(entry));
    }

    /** Logs an evaluation. */
    public void eval(EvalEntry entry) throws IOException {
        write(MetricsJson.line(entry));
    }

    private void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void cutPartialLastLine(Path file) throws IOException {
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer b = ByteBuffer.allocate(1);
            // Walk back to the last newline; files are small and this runs once per (re)start.
            while (keep > 0) {
                b.clear();
                ch.read(b, keep - 1);
                if (b.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
            }
        }
    }
}
