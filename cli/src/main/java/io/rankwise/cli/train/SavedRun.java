package io.rankwise.cli.train;

import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.peft.AdaLoraSettings;
import io.rankwise.models.data.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run folder written by {@code train} or {@code ablate}, opened to use what it learned: its
 * resolved configuration ({@code config.yaml}, with any overrides), its task, the model holding the
 * parameters of {@code checkpoint/state.bin}, and the optimizer holding the checkpoint's state
 * (for IVON, the posterior N(m, σ²)). A killed run opens at its last checkpoint.
 *
 * <p>Problems with the folder are bad input, reported as {@link IllegalArgumentException}s that
 * name the folder or file and what is accepted: a missing folder, configuration or checkpoint, a
 * corrupted checkpoint, or one that does not fit the configured model. The checkpoint is read
 * before the model is built, so that a bad file fails fast.
 */
public final class SavedRun implements AutoCloseable {
    /** What a run folder must hold, for messages. */
    static final String ACCEPTED = "a run folder written by rankwise train or ablate (config.yaml, checkpoint/state.bin)";

    private final Path dir;
    private final RankwiseConfig config;
    private final RunSettings settings;
    private final Task task;
    private final RunModel model;
    private final Optimizer optimizer;
    private final Checkpoint.Contents checkpoint;

    private SavedRun(Path dir, RankwiseConfig config, RunSettings settings, Task task, RunModel model, Optimizer optimizer,
            Checkpoint.Contents checkpoint) {
        this.dir = dir;
        this.config = config;
        this.settings = settings;
        this.task = task;
        this.model = model;
        this.optimizer = optimizer;
        this.checkpoint = checkpoint;
    }

    /**
     * Opens {@code dir} with {@code overrides} applied to its configuration (for example another
     * backend, or {@code task.max_eval}).
     *
     * @throws IllegalArgumentException for a folder that is not a usable run folder (see above)
     * @throws IOException if the model files or the task's data cannot be read
     */
    public static SavedRun open(Path dir, List<String> overrides) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--run-dir " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist")
                    + "; accepted: " + ACCEPTED);
        }
        Path configFile = dir.resolve("config.yaml");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("--run-dir " + dir + " holds no config.yaml; accepted: " + ACCEPTED);
        }
        if (!Files.isRegularFile(Checkpoint.file(dir))) {
            throw new IllegalArgumentException("--run-dir " + dir + " has no checkpoint: " + Checkpoint.file(dir)
                    + " does not exist (the run stopped before its first checkpoint); accepted: " + ACCEPTED);
        }
        RankwiseConfig config = ConfigLoader.load(configFile, overrides);
        Checkpoint.Contents checkpoint;
        try {
            checkpoint = Checkpoint.read(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage() + "; accepted: a checkpoint/state.bin written by rankwise train", e);
        }
        Task task = RunPlan.task(config);
        RunSettings settings = RunPlan.settings(config, dir);
        Plugins plugins = Plugins.discover();
        Optimizer optimizer = plugins.optimizers().get(settings.optimizer())
                .create(settings.resolvedOptimizerOptions(trainingExamples(configFile, config, task)));
        RunModel model = RunModel.open(plugins, settings, task.spec());
        boolean opened = false;
        try {
            optimizer.attach(model.backend(), model.trainable());
            List<Variable> saved = new ArrayList<>(optimizer.parameters());
            saved.addAll(optimizer.state());
            try {
                checkpoint.restore(saved);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage() + "; accepted: the checkpoint of the model config.yaml"
                        + " describes" + (overrides.isEmpty() ? "" : " (leave out --set keys of the model, adapter and optimizer)"), e);
            }
            try {
                model.rankPattern(checkpoint.allocator().keep());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(checkpoint.file() + ": " + e.getMessage(), e);
            }
            opened = true;
            return new SavedRun(dir, config, settings, task, model, optimizer, checkpoint);
        } finally {
            if (!opened) {
                model.close();
            }
        }
    }

    /**
     * The training-set size that {@code ess: auto} stood for in the run. With overrides that change
     * the data (the task section or the seed that subsamples it), that is the size of the run's own
     * training set, not of the overridden one: IVON's posterior spread σ depends on it.
     */
    private static int trainingExamples(Path configFile, RankwiseConfig config, Task task) throws IOException {
        RankwiseConfig original = ConfigLoader.load(configFile, List.of());
        boolean sameData = original.task().equals(config.task()) && original.run().seed() == config.run().seed();
        return sameData ? task.train().size() : RunPlan.task(original).train().size();
    }

    /** The run folder. */
    public Path dir() {
        return dir;
    }

    /** The configuration in effect: the run's, with the overrides. */
    public RankwiseConfig config() {
        return config;
    }

    /** The run's settings, from {@link #config()}. */
    public RunSettings settings() {
        return settings;
    }

    /** The configured task. */
    public Task task() {
        return task;
    }

    /** The model with the checkpoint's parameters. */
    public RunModel model() {
        return model;
    }

    /** The optimizer with the checkpoint's state; its {@link Optimizer#posterior()} is the run's posterior, if any. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The step the checkpoint was written after. */
    public long step() {
        return checkpoint.step();
    }

    /** The total steps the run was configured for (more than {@link #step()} for a killed run). */
    public long totalSteps() {
        return config.training().totalSteps(task.train().size());
    }

    /** The rank pattern at the checkpoint, keyed {@code <module>.lora_E}. */
    public Map<String, boolean[]> rankPattern() {
        return model.rankPattern(checkpoint.allocator().keep());
    }

    /** The AdaLoRA settings for a PEFT export of this run. */
    public AdaLoraSettings peftSettings() {
        return RunPlan.peft(config, totalSteps());
    }

    /** Releases the model and its backend. */
    @Override
    public void close() {
        model.close();
    }
}
