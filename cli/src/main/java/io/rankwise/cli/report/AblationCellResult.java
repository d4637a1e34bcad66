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
 * @param metric the importance metric plugin's name; empty for a LoRA cell
 * @param task the task's name
 * @param seed the seed
 * @param values final task metrics by name, the task's own metric first
 * @param secondsPerStep mean wall time per training step
 * @param peakMemoryMiB peak memory of the run
 * @param adapter the adapter kind, {@code adalora} or {@code lora}
 */
public record AblationCellResult(
        String backend,
        String optimizer,
        String metric,
        String task,
        long seed,
        Map<String, Double> values,
        double secondsPerStep,
        double peakMemoryMiB,
        String adapter) {

    /** The adapter kind of plain LoRA cells. */
    public static final String LORA = "lora";

    /** Requires every name and keeps a read-only copy of the values in their order. */
    public AblationCellResult {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(adapter, "adapter");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The outcome of an AdaLoRA cell. */
    public AblationCellResult(
            String backend,
            String optimizer,
            String metric,
            String task,
            long seed,
            Map<String, Double> values,
            double secondsPerStep,
            double peakMemoryMiB) {
        this(
                backend,
                optimizer,
                metric,
                task,
                seed,
                values,
                secondsPerStep,
                peakMemoryMiB,
                "adalora");
    }

    /**
     * How tables and folder names show a configuration: {@code optimizer+metric} (AdaLoRA), {@code
     * lora-optimizer} (plain LoRA, which has no metric; no {@code +}, so that it never reads as
     * one).
     */
    public static String configuration(String adapter, String optimizer, String metric) {
        return LORA.equals(adapter) ? "lora-" + optimizer : optimizer + "+" + metric;
    }

    /** The backend as tables show it. */
    public String backendLabel() {
        return backend.isEmpty() ? "default" : backend;
    }

    /** {@code optimizer+metric} or {@code lora-optimizer}, as tables and folder names show it. */
    public String configuration() {
        return configuration(adapter, optimizer, metric);
    }

    /** Whether the cell trained plain LoRA (no rank pattern). */
    public boolean fixedRank() {
        return LORA.equals(adapter);
    }
}
