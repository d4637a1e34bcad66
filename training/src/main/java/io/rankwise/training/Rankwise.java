package io.rankwise.training;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.Task;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import io.rankwise.training.wiring.RunAssembly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fine-tuning from plain Java: describe the run with a {@link RunSpec}, and {@link
 * #fineTune(RunSpec, Path, RunListener...)} loads the task, assembles the run from the plugins on
 * the class path (backends, optimizers, metrics, allocators, adapters, found with {@link
 * java.util.ServiceLoader}), trains, evaluates on the dev split and leaves the run folder behind:
 * {@code checkpoint/state.bin}, {@code adapter/} (PEFT's AdaLoRA format, or its LoRA format for
 * {@code adapter.kind} {@code lora}) and, for AdaLoRA, {@code rank_pattern.json}.
 *
 * <pre>{@code
 * RunResult result = Rankwise.fineTune(spec, Path.of("runs/demo"), new RunListener() {
 *     public void step(long step, double loss, double lr, int budget, double seconds) {
 *         System.out.printf("step %d loss %.4f budget %d%n", step, loss, budget);
 *     }
 * });
 * System.out.println(result.evaluation().values() + " " + result.rankPattern().keySet());
 * }</pre>
 *
 * <p>A process that runs several fine-tunings discovers its plugins once and passes them to {@link
 * #fineTune(Plugins, RunSpec, Task, Path, boolean, List)}.
 */
public final class Rankwise {
    private Rankwise() {}

    /**
     * Runs {@code spec} into the folder {@code runDir}, with the plugins on this class path.
     *
     * @throws IllegalArgumentException for a plugin name that no plugin has (naming the kind, the
     *     name and the available ones) or options a plugin refuses, before anything is computed
     * @throws IOException if the model, the data or the run folder cannot be read or written
     */
    public static RunResult fineTune(RunSpec spec, Path runDir, RunListener... listeners)
            throws IOException {
        Plugins plugins = Plugins.discover();
        return fineTune(
                plugins,
                spec,
                Tasks.load(spec.task(), spec.training().seed()),
                runDir,
                false,
                List.of(listeners));
    }

    /**
     * Runs {@code spec} on an already loaded {@code task} (its data as the spec's task section
     * describes it) into {@code runDir}; from the folder's last checkpoint when {@code resume}.
     *
     * @throws IllegalArgumentException as {@link #fineTune(RunSpec, Path, RunListener...)}
     * @throws IOException as {@link #fineTune(RunSpec, Path, RunListener...)}
     */
    public static RunResult fineTune(
            Plugins plugins,
            RunSpec spec,
            Task task,
            Path runDir,
            boolean resume,
            List<RunListener> listeners)
            throws IOException {
        return new FineTuning(RunAssembly.assemble(plugins, spec), task, runDir, listeners)
                .run(resume);
    }
}
