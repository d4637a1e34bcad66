package io.rankwise.cli.grid;

import io.rankwise.training.spec.RunSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One cell of an ablation grid as it travels to the JVM that runs it: everything that run needs,
 * and nothing that only the driver has.
 *
 * @param id the cell's name, also its folder's name ({@code
 *     <task>_<backend>_<opt>+<metric>_seed<n>}, or {@code ..._lora-<opt>_seed<n>} for LoRA)
 * @param optimizer the optimizer's name, for the table
 * @param metric the importance metric's name, for the table; empty for a LoRA cell
 * @param seed the seed, for the table
 * @param spec the run
 * @param resolvedConfig the cell's resolved configuration, written to its {@code config.yaml}
 * @param folder the cell's run folder, absolute (on a cluster: on a file system every machine sees)
 * @param pluginJars plugin jars the driver loaded, absolute, so that the cell loads the same ones
 */
public record CellJob(
        String id,
        String optimizer,
        String metric,
        long seed,
        RunSpec spec,
        String resolvedConfig,
        String folder,
        List<String> pluginJars)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Requires every part, and keeps a serializable copy of the jar list. */
    public CellJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(resolvedConfig, "resolvedConfig");
        Objects.requireNonNull(folder, "folder");
        pluginJars = List.copyOf(pluginJars);
    }
}
