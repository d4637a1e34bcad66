package io.rankwise.cli.train;

import io.rankwise.cli.config.AdapterKind;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.ConfigException;
import io.rankwise.cli.config.LrSchedule;
import io.rankwise.cli.config.ModelConfig;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.config.TaskConfig;
import io.rankwise.cli.peft.AdaLoraSettings;
import io.rankwise.models.data.GlueLoader;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Turns a validated configuration into a run's settings, its task and its PEFT export settings. */
public final class RunPlan {
    private RunPlan() {
    }

    /** The run's settings, writing into {@code runDir}. */
    public static RunSettings settings(RankwiseConfig c, Path runDir) {
        if (c.adapter().kind() != AdapterKind.ADALORA) {
            throw new ConfigException("adapter.kind is " + c.adapter().kind().name().toLowerCase(java.util.Locale.ROOT)
                    + "; the train command supports adalora so far (plain LoRA adapters exist as a library plugin)");
        }
        LrSchedule configured = c.training().lrSchedule();
        RunSettings.ScheduleFactory schedule;
        if (configured instanceof LrSchedule.Linear l) {
            schedule = (lr, total) -> LearningRateSchedule.linear(lr, l.warmupSteps(), total);
        } else if (configured instanceof LrSchedule.ConstantThenDecay d) {
            schedule = (lr, total) -> LearningRateSchedule.constantThenDecay(d.lrHigh(), d.holdSteps(), lr, total);
        } else {
            schedule = (lr, total) -> LearningRateSchedule.constant(lr);
        }
        return new RunSettings(c.backend().name(), c.backend().device(), c.model().source(), c.model().maxLength(),
                c.model().pooling(), c.model().dropout(), c.model().dtype(), c.adapter().initR(), c.adapter().loraAlpha(),
                c.adapter().targets(), c.allocator().targetR(), c.allocator().tinit(), c.allocator().tfinal(),
                c.allocator().deltaT(), c.allocator().orthRegWeight(), c.optimizer().name(), c.optimizer().options(),
                c.metric().name(), c.metric().options(), c.training().epochs(), c.training().maxSteps(),
                c.training().batchSize(), c.training().gradAccumulation(), schedule, c.run().logEvery(), c.run().evalEvery(),
                c.run().checkpointEvery(), c.training().testSamples(), c.run().seed(), runDir);
    }

    /**
     * Runs {@code c} on {@code task} into the run folder {@code dir} (config.yaml, metrics.jsonl,
     * checkpoint/, adapter/, plots/, report.md), with progress on the terminal; from the folder's
     * last checkpoint when {@code resume}.
     */
    public static RunResult runInFolder(RankwiseConfig c, Task task, Path dir, boolean resume) throws IOException {
        long total = c.training().totalSteps(task.train().size());
        try (RunFolder folder = new RunFolder(dir, peft(c, total), ConfigLoader.toYaml(c))) {
            return new FineTuning(settings(c, dir), task, List.of(new ProgressLine(System.out), folder)).run(resume);
        }
    }

    /** Loads the configured task, subsampled as configured. */
    public static Task task(RankwiseConfig c) throws IOException {
        TaskConfig t = c.task();
        if (t.glueTask().isPresent()) {
            if (t.dataDir() == null) {
                throw new ConfigException("task.data_dir is not set; GLUE tasks need the folder of the GLUE download (glue_data/)");
            }
            return GlueLoader.at(t.dataDir()).skipBadRows(t.skipBadRows()).load(t.glueTask().get())
                    .subsample(t.maxTrain(), t.maxEval(), c.run().seed());
        }
        return SpamAssassin.builder().maxTrain(t.maxTrain()).maxEval(t.maxEval()).seed(c.run().seed()).build().load();
    }

    /** The AdaLoRA settings written into the exported adapter_config.json. */
    public static AdaLoraSettings peft(RankwiseConfig c, long totalSteps) {
        try {
            return new AdaLoraSettings(c.adapter().initR(), c.allocator().targetR(), c.adapter().loraAlpha(),
                    (int) c.allocator().tinit(), (int) c.allocator().tfinal(), (int) c.allocator().deltaT(), (int) totalSteps,
                    c.allocator().orthRegWeight(), 0.85, 0.85, c.adapter().targetModules(),
                    c.model().embedded() ? ModelConfig.EMBEDDED_MINILM_HUB_ID : c.model().source(), "SEQ_CLS",
                    c.model().dropout());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("allocator: " + e.getMessage() + "; this run has " + totalSteps + " steps (the training"
                    + " examples / (training.batch_size x training.grad_accumulation) x training.epochs, or training.max_steps)");
        }
    }
}
