package io.rankwise.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one cell of an ablation grid: what the table and comparison plots are made of.
 *
 * @param backend the backend's name ({@code ""} stands for the default backend and is shown as
 *     {@code default})
 * @param optimizer the optimizer plugin's name
 * @param metric the importance metric plugin's name
 * @param task the task's name
 * @param seed the seed
 * @param values final task metrics by name, the task's own metric first
 * @param secondsPerStep mean wall time per training step
 * @param peakMemoryMiB peak memory of the run
 */
public record AblationCellResult(
        String backend,
        String optimizer,
        String metric,
        String task,
        long seed,
        Map<String, Double> values,
        double secondsPerStep,
        double peakMemoryMiB) {

    /** Requires every name and keeps a read-only copy of the values in their order. */
    public AblationCellResult {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(task, "task");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The backend as tables show it. */
    public String backendLabel() {
        return backend.isEmpty() ? "default" : backend;
    }

    /** {@code optimizer+metric}, as tables and folder names show a configuration. */
    public String configuration() {
        return optimizer + "+" + metric;
    }
}
