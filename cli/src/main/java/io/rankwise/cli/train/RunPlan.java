package io.rankwise.cli.train;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.models.data.Task;
import io.rankwise.training.Rankwise;
import io.rankwise.training.RunListener;
import io.rankwise.training.RunResult;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a validated configuration into the run it describes: its {@link RunSpec}, its task, and the
 * run into a folder with the command's outputs (progress, config.yaml, metrics.jsonl, plots,
 * report.md) listening.
 */
public final class RunPlan {
    private RunPlan() {}

    /**
     * The run's spec. For {@code adapter.kind: lora} the allocator and metric sections are carried
     * as they are, and not used by the run.
     */
    public static RunSpec spec(RankwiseConfig c) {
        return new RunSpec(
                new RunSpec.Backend(c.backend().name(), c.backend().device()),
                new RunSpec.Model(
                        c.model().source(),
                        c.model().maxLength(),
                        c.model().pooling(),
                        c.model().dropout(),
                        c.model().dtype()),
                new RunSpec.Adapter(
                        c.adapter().kind().name().toLowerCase(Locale.ROOT),
                        c.adapter().initR(),
                        c.adapter().loraAlpha(),
                        c.adapter().targetModules(),
                        c.adapter().loraDropout()),
                new RunSpec.Plugin(c.allocator().name(), c.allocator().options()),
                new RunSpec.Plugin(c.optimizer().name(), c.optimizer().options()),
                new RunSpec.Plugin(c.metric().name(), c.metric().options()),
                data(c),
                new RunSpec.Training(
                        c.training().epochs(),
                        c.training().maxSteps(),
                        c.training().batchSize(),
                        c.training().gradAccumulation(),
                        c.training().lrSchedule(),
                        c.training().testSamples(),
                        c.run().logEvery(),
                        c.run().evalEvery(),
                        c.run().checkpointEvery(),
                        c.run().seed()));
    }

    /**
     * Runs {@code c} on {@code task} into the run folder {@code dir} (config.yaml, metrics.jsonl,
     * checkpoint/, rank_pattern.json, adapter/, plots/, report.md), with progress on the terminal;
     * from the folder's last checkpoint when {@code resume}. The caller holds the folder's {@link
     * RunFolderLock}.
     */
    public static RunResult runInFolder(
            Plugins plugins, RankwiseConfig c, Task task, Path dir, boolean resume)
            throws IOException {
        return runInFolder(plugins, spec(c), ConfigLoader.toYaml(c), task, dir, resume, true);
    }

    /**
     * Runs {@code spec} on {@code task} into the run folder {@code dir}, whose {@code config.yaml}
     * gets {@code resolvedConfig}; progress on the terminal when {@code showProgress}. The caller
     * holds the folder's {@link RunFolderLock} (one writer per run folder).
     *
     * @throws IllegalStateException when it does not
     */
    public static RunResult runInFolder(
            Plugins plugins,
            RunSpec spec,
            String resolvedConfig,
            Task task,
            Path dir,
            boolean resume,
            boolean showProgress)
            throws IOException {
        if (!RunFolderLock.heldHere(dir)) {
            throw new IllegalStateException(
                    "the run folder "
                            + dir
                            + " is written without its lock; take RunFolderLock.acquire first");
        }
        try (RunFolder folder = new RunFolder(dir, resolvedConfig)) {
            List<RunListener> listeners =
                    showProgress ? List.of(new ProgressLine(System.out), folder) : List.of(folder);
            return Rankwise.fineTune(plugins, spec, task, dir, resume, listeners);
        }
    }

    /** Loads the configured task, subsampled as configured. */
    public static Task task(RankwiseConfig c) throws IOException {
        return Tasks.load(data(c), c.run().seed());
    }

    /** The task section as the spec holds it. */
    private static RunSpec.Data data(RankwiseConfig c) {
        return new RunSpec.Data(
                c.task().name(),
                c.task().dataDir().toString(),
                c.task().maxTrain(),
                c.task().maxEval(),
                c.task().skipBadRows());
    }
}
