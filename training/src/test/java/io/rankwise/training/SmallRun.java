package io.rankwise.training;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.training.spec.LrSchedule;
import io.rankwise.training.spec.ModelSources;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import java.util.List;
import java.util.Map;

/**
 * A small IVON + snr run for tests: MiniLM with rank-3 adapters on query and value, 8 steps of 8
 * examples, with dropout 0.1 on the model and 0.05 on the adapters' input (so that resuming is
 * checked with both kinds of masks).
 */
public final class SmallRun {
    private SmallRun() {}

    /** The run on {@code backend}, checkpointing every 3 steps. */
    public static RunSpec spec(String backend) {
        return new RunSpec(
                new RunSpec.Backend(backend, Device.cpu()),
                new RunSpec.Model(
                        ModelSources.EMBEDDED_MINILM, 24, Pooling.MEAN, 0.1, DType.FLOAT32),
                new RunSpec.Adapter("adalora", 3, 6, List.of("query", "value"), 0.05),
                new RunSpec.Plugin(
                        "adalora",
                        Map.of(
                                "target_r",
                                2,
                                "tinit",
                                2,
                                "tfinal",
                                2,
                                "delta_t",
                                2,
                                "orth_reg_weight",
                                0.1)),
                new RunSpec.Plugin(
                        "ivon", Map.of("lr", 0.05, "ess", "auto", "hess_init", 0.5, "seed", 5L)),
                RunSpec.Plugin.named("snr"),
                new RunSpec.Data(Tasks.SPAM_ASSASSIN, "", 64, 16, false),
                new RunSpec.Training(1, 0, 8, 1, new LrSchedule.Linear(2), 0, 1, 0, 3, 11));
    }

    /**
     * The same small run with plain LoRA adapters (rank 3, α 6) trained by {@code optimizer}: no
     * allocator, no metric (the spec's sections stay as in {@link #spec}, unused).
     */
    public static RunSpec lora(String backend, RunSpec.Plugin optimizer) {
        RunSpec s = spec(backend);
        return new RunSpec(
                s.backend(),
                s.model(),
                new RunSpec.Adapter(RunSpec.Adapter.LORA, 3, 6, List.of("query", "value")),
                s.allocator(),
                optimizer,
                s.metric(),
                s.task(),
                s.training());
    }

    /** IVON as {@link #spec} has it. */
    public static RunSpec.Plugin ivon() {
        return spec("djl").optimizer();
    }
}
