package com.example.rankwise;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.training.Rankwise;
import io.rankwise.training.RunListener;
import io.rankwise.training.RunResult;
import io.rankwise.training.spec.LrSchedule;
import io.rankwise.training.spec.ModelSources;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes the embedded MiniLM-L6 on the SpamAssassin demo task with AdaLoRA, IVON and the
 * signal-to-noise importance score, from plain Java. Arguments: the run folder (default
 * runs/library-usage) and the number of steps (default 32).
 */
public final class FineTuneDemo {
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path runDir = Path.of(args.length > 0 ? args[0] : "runs/library-usage");
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 32;
        RunSpec spec =
                new RunSpec(
                        new RunSpec.Backend("djl", Device.cpu()),
                        new RunSpec.Model(
                                ModelSources.EMBEDDED_MINILM, 64, Pooling.MEAN, 0.1, DType.FLOAT32),
                        new RunSpec.Adapter(
                                "adalora",
                                6,
                                12,
                                List.of(
                                        "query",
                                        "key",
                                        "value",
                                        "attention.output.dense",
                                        "intermediate.dense",
                                        "output.dense")),
                        new RunSpec.Plugin(
                                "adalora",
                                Map.of("target_r", 4, "tinit", 4, "tfinal", 8, "delta_t", 2)),
                        new RunSpec.Plugin(
                                "ivon",
                                Map.of(
                                        "lr",
                                        10.0,
                                        "ess",
                                        "auto",
                                        "hess_init",
                                        4.0,
                                        "clip_radius",
                                        5e-4)),
                        RunSpec.Plugin.named("snr"),
                        new RunSpec.Data(Tasks.SPAM_ASSASSIN, "", 512, 128, false),
                        new RunSpec.Training(
                                1, steps, 16, 1, new LrSchedule.Linear(2), 0, 4, 0, 0, 42));
        RunResult result =
                Rankwise.fineTune(
                        spec,
                        runDir,
                        new RunListener() {
                            @Override
                            public void step(
                                    long step, double loss, double lr, int budget, double seconds) {
                                System.out.printf(
                                        "step %d/%d  loss %.4f  budget %d%n",
                                        step, steps, loss, budget);
                            }
                        });
        long kept =
                result.rankPattern().values().stream()
                        .mapToLong(
                                keep ->
                                        java.util.stream.IntStream.range(0, keep.length)
                                                .filter(i -> keep[i])
                                                .count())
                        .sum();
        System.out.printf(
                "dev %s; %d triplets kept; run folder %s%n",
                result.evaluation().values(), kept, result.runDir());
    }
}
