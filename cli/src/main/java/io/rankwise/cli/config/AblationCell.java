package io.rankwise.cli.config;

import java.util.Objects;

/**
 * One cell of an ablation grid, with the configuration that runs it.
 *
 * @param backend the backend's name ('' for the registry's default)
 * @param pair the optimizer and metric
 * @param seed the seed
 * @param task the task's name
 * @param config the whole configuration of this cell's run
 */
public record AblationCell(
        String backend, AblationPair pair, long seed, String task, RankwiseConfig config) {

    /** Requires every part. */
    public AblationCell {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(config, "config");
    }

    /**
     * A name for the cell's run folder, unique within the grid: {@code
     * <task>_<backend>_<optimizer>+<metric>_seed<seed>}, or {@code
     * <task>_<backend>_lora-<optimizer>_seed<seed>} for a LoRA pair ({@code glue:sst-2} becomes
     * {@code glue-sst-2}; the default backend is {@code default}).
     */
    public String id() {
        return task.replace(':', '-')
                + "_"
                + (backend.isEmpty() ? "default" : backend)
                + "_"
                + pair.label()
                + "_seed"
                + seed;
    }
}
