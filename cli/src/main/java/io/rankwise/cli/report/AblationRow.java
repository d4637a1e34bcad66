package io.rankwise.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of an ablation table: the seeds of one (backend, configuration, task) summarised.
 *
 * @param backend the backend as shown ({@code default} for the default one)
 * @param configuration {@code optimizer+metric}, or {@code lora-optimizer} for plain LoRA
 * @param task the task's name
 * @param seeds how many seeds ran
 * @param values each metric's summary over the seeds that reported it
 * @param secondsPerStep seconds per step over seeds
 * @param peakMemoryMiB peak memory over seeds
 */
public record AblationRow(
        String backend,
        String configuration,
        String task,
        int seeds,
        Map<String, Summary> values,
        Summary secondsPerStep,
        Summary peakMemoryMiB) {

    /** Keeps a read-only copy of the values in their order. */
    public AblationRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The summary of {@code metric}, or an empty one when no seed reported it. */
    public Summary value(String metric) {
        return values.getOrDefault(metric, new Summary(Double.NaN, Double.NaN, 0));
    }
}
