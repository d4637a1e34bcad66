package io.rankwise.cli.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rankwise.cli.report.AblationCellResult;
import io.rankwise.cli.report.RankPatternAgreement;
import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finished cell gives back to the driver, and what its folder keeps as {@code cell.json}:
 * the file is written last and atomically, so its presence means the cell finished, and {@code
 * ablate --resume} reads it instead of running the cell again.
 *
 * @param id the cell's name
 * @param backend the backend that ran it
 * @param optimizer the optimizer's name
 * @param metric the importance metric's name; empty for a LoRA cell
 * @param task the task's name
 * @param seed the seed
 * @param values the final dev-set metrics, the task's own first
 * @param rankPattern the final rank pattern by module; empty for a LoRA cell
 * @param secondsPerStep mean wall time per training step
 * @param peakMemoryMiB peak resident memory of the JVM that ran it (shared with any cells that ran
 *     beside it in that JVM)
 * @param host the host that ran it
 * @param device the device it computed on
 * @param threads the engine threads it was limited to (0: the engine's defaults)
 * @param adapter the adapter kind, {@code adalora} or {@code lora} ({@code adalora} when a {@code
 *     cell.json} written before LoRA cells existed lacks it)
 */
public record CellRecord(
        String id,
        String backend,
        String optimizer,
        String metric,
        String task,
        long seed,
        Map<String, Double> values,
        Map<String, boolean[]> rankPattern,
        double secondsPerStep,
        double peakMemoryMiB,
        String host,
        String device,
        int threads,
        String adapter)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file in a cell's folder that says it finished. */
    public static final String FILE_NAME = "cell.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Requires every name; keeps serializable copies of the maps in their order. */
    public CellRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(device, "device");
        values = new LinkedHashMap<>(values);
        rankPattern = new LinkedHashMap<>(rankPattern);
        adapter = adapter == null ? "adalora" : adapter;
    }

    /** The row the ablation table is made of. */
    public AblationCellResult tableRow() {
        return new AblationCellResult(
                backend,
                optimizer,
                metric,
                task,
                seed,
                values,
                secondsPerStep,
                peakMemoryMiB,
                adapter);
    }

    /** The rank pattern as the agreement section compares it. */
    public RankPatternAgreement.Cell patternCell() {
        AblationCellResult row = tableRow();
        return new RankPatternAgreement.Cell(
                row.backendLabel(), task, seed, row.configuration(), rankPattern, !row.fixedRank());
    }

    /** Writes {@code cell.json} into {@code folder}, atomically. */
    public void write(Path folder) throws IOException {
        byte[] json = JSON.writeValueAsBytes(this);
        AtomicFiles.replace(folder.resolve(FILE_NAME), temp -> Files.write(temp, json));
    }

    /**
     * The record of a finished cell in {@code folder}; empty when the folder has no {@code
     * cell.json} (the cell has not finished).
     *
     * @throws UncheckedIOException naming the file when it exists but cannot be read as a record
     */
    public static Optional<CellRecord> read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    JSON.readValue(
                            Files.readString(file, StandardCharsets.UTF_8), CellRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    file + " is not a finished cell's record (" + e.getMessage() + ")", e);
        }
    }
}
