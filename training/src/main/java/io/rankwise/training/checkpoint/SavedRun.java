package io.rankwise.training.checkpoint;

import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.Task;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.peft.PeftSettings;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import io.rankwise.training.wiring.RunAssembly;
import io.rankwise.training.wiring.RunParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run folder written by a fine-tuning run, opened to use what it learned: the run's spec (with
 * any changes the caller made, such as another split size), its task, the model holding the
 * parameters of {@code checkpoint/state.bin}, and the optimizer holding the checkpoint's state (for
 * IVON, the posterior N(m, σ²)). A killed run opens at its last checkpoint.
 *
 * <p>Problems with the folder are bad input, reported as {@link IllegalArgumentException}s that
 * name the folder or file and what is accepted: a missing folder, configuration or checkpoint, a
 * corrupted checkpoint, another run's checkpoint (its configuration hash differs from that of the
 * folder's {@code config.yaml}, see {@link RunIdentity}), or one that does not fit the configured
 * model; checkpoint problems are {@link InvalidCheckpointException}s. The checkpoint is read and
 * verified before the model is built, so that a bad file fails fast.
 */
public final class SavedRun implements AutoCloseable {
    /** What a run folder must hold, for messages. */
    public static final String ACCEPTED =
            "a run folder written by rankwise train or ablate (config.yaml, checkpoint/state.bin)";

    private final Path dir;
    private final RunSpec spec;
    private final Task task;
    private final RunModel model;
    private final Optimizer optimizer;
    private final Checkpoint.Contents checkpoint;

    private SavedRun(
            Path dir,
            RunSpec spec,
            Task task,
            RunModel model,
            Optimizer optimizer,
            Checkpoint.Contents checkpoint) {
        this.dir = dir;
        this.spec = spec;
        this.task = task;
        this.model = model;
        this.optimizer = optimizer;
        this.checkpoint = checkpoint;
    }

    /**
     * Refuses a path that is not a folder, naming it and what a run folder holds.
     *
     * @throws IllegalArgumentException if {@code dir} does not exist or is a file
     */
    public static void requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "--run-dir "
                            + dir
                            + (Files.exists(dir) ? " is not a folder" : " does not exist")
                            + "; accepted: "
                            + ACCEPTED);
        }
    }

    /**
     * Opens {@code dir} as {@code spec} describes it; {@code original} is the spec the run was
     * trained with ({@code spec} may differ from it, for example in the backend or the dev split's
     * size). The parts are assembled by {@link RunAssembly} from {@code plugins}.
     *
     * @throws IllegalArgumentException for a folder that is not a usable run folder (see above)
     * @throws IOException if the model files or the task's data cannot be read
     */
    public static SavedRun open(Plugins plugins, Path dir, RunSpec spec, RunSpec original)
            throws IOException {
        requireFolder(dir);
        if (!Files.isRegularFile(Checkpoint.file(dir))) {
            throw new IllegalArgumentException(
                    "--run-dir "
                            + dir
                            + " has no checkpoint: "
                            + Checkpoint.file(dir)
                            + " does not exist (the run stopped before its first checkpoint); accepted: "
                            + ACCEPTED);
        }
        // Verified (format, checksum, ranges) before anything is built; an invalid file is an
        // InvalidCheckpointException naming it.
        Checkpoint.Contents checkpoint = Checkpoint.read(dir);
        // Another configuration's file is refused before the data loads; T needs the data.
        checkpoint.requireConfiguration(RunIdentity.configHash(original));
        RunParts parts = RunAssembly.assemble(plugins, spec);
        Task task = Tasks.load(spec.task(), spec.training().seed());
        int trainingExamples = trainingExamples(spec, original, task);
        // Only the checkpoint that this folder's configuration wrote.
        checkpoint.requireRun(
                RunIdentity.of(original, original.training().totalSteps(trainingExamples)));
        Optimizer optimizer = parts.optimizer(trainingExamples);
        RunModel model = RunModel.open(parts, task.spec());
        boolean opened = false;
        try {
            optimizer.attach(model.backend(), model.trainable());
            List<Variable> saved = new ArrayList<>(optimizer.parameters());
            saved.addAll(optimizer.state());
            try {
                checkpoint.restore(saved);
            } catch (InvalidCheckpointException e) {
                throw new InvalidCheckpointException(
                        e.getMessage()
                                + "; accepted: the checkpoint of the model config.yaml"
                                + " describes"
                                + (spec.equals(original)
                                        ? ""
                                        : " (leave out --set keys of the model, adapter and optimizer)"),
                        e);
            }
            try {
                model.rankPattern(checkpoint.allocator().keep());
            } catch (IllegalArgumentException e) {
                throw new InvalidCheckpointException(checkpoint.file() + ": " + e.getMessage(), e);
            }
            opened = true;
            return new SavedRun(dir, spec, task, model, optimizer, checkpoint);
        } finally {
            if (!opened) {
                model.close();
            }
        }
    }

    /**
     * The training-set size that {@code ess: auto} stood for in the run. When the data differs from
     * the run's (the task, or the seed that subsamples it), that is the size of the run's own
     * training set, not of the new one: IVON's posterior spread σ depends on it.
     */
    private static int trainingExamples(RunSpec spec, RunSpec original, Task task)
            throws IOException {
        boolean sameData =
                original.task().equals(spec.task())
                        && original.training().seed() == spec.training().seed();
        return sameData
                ? task.train().size()
                : Tasks.load(original.task(), original.training().seed()).train().size();
    }

    /** The run folder. */
    public Path dir() {
        return dir;
    }

    /** The spec in effect: the run's, with the caller's changes. */
    public RunSpec spec() {
        return spec;
    }

    /** The configured task. */
    public Task task() {
        return task;
    }

    /** The model with the checkpoint's parameters. */
    public RunModel model() {
        return model;
    }

    /**
     * The optimizer with the checkpoint's state; its {@link Optimizer#posterior()} is the run's
     * posterior, if any.
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The step the checkpoint was written after. */
    public long step() {
        return checkpoint.step();
    }

    /** The total steps the run was configured for (more than {@link #step()} for a killed run). */
    public long totalSteps() {
        return spec.training().totalSteps(task.train().size());
    }

    /** The rank pattern at the checkpoint, keyed by module; empty for a LoRA run. */
    public Map<String, boolean[]> rankPattern() {
        return model.rankPattern(checkpoint.allocator().keep());
    }

    /**
     * The settings for a PEFT export of this run: {@link io.rankwise.training.peft.AdaLoraSettings}
     * for an AdaLoRA run, {@link io.rankwise.training.peft.LoraSettings} for a LoRA run.
     */
    public PeftSettings peftSettings() {
        return PeftSettings.forRun(spec, totalSteps());
    }

    /** Releases the model and its backend. */
    @Override
    public void close() {
        model.close();
    }
}
