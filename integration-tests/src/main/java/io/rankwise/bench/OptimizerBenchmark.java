package io.rankwise.bench;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Plugin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark command: the per-step cost of the optimizer update, IVON (1 sample) against AdamW, per
 * million parameters, on each backend. The parameters are 4 float32 matrices of 1024 × 1024 (4.2 M
 * elements) and the loss is ½ Σ θ², whose gradient θ costs one pass, so the step is dominated by
 * the update itself (IVON also draws its noise and forms θ = m + σε). Both run through one compiled
 * step each, interleaved round by round.
 *
 * <p>Arguments: {@code rounds=N} (default 9), {@code steps=N} per round (default 10), {@code
 * backends=...}.
 */
public final class OptimizerBenchmark {
    private static final int MATRICES = 4;
    private static final int SIZE = 1024;

    private OptimizerBenchmark() {}

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) {
        int rounds = StepBenchmark.intArg(args, "rounds", 9);
        int steps = StepBenchmark.intArg(args, "steps", 10);
        var registry = Plugins.discover().backends();
        List<String> names =
                Arrays.stream(args)
                        .filter(a -> a.startsWith("backends="))
                        .findFirst()
                        .map(a -> List.of(a.substring("backends=".length()).split(",")))
                        .orElseGet(() -> registry.providers().stream().map(Plugin::name).toList());
        double millions = MATRICES * (double) SIZE * SIZE / 1e6;
        List<String> rows = new ArrayList<>();
        for (String name : names) {
            try (Backend backend = registry.get(name).create(Device.cpu())) {
                System.err.println("benchmarking " + name + ": " + backend.describe());
                Run adam = new Run(backend, "adam", Map.of("lr", "1e-3"));
                Run ivon =
                        new Run(
                                backend,
                                "ivon",
                                Map.of("lr", "0.1", "ess", "1e6", "mc_samples", "1"));
                double[] adamMs = new double[rounds];
                double[] ivonMs = new double[rounds];
                adam.time(3);
                ivon.time(3);
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        adamMs[r] = adam.time(steps);
                        ivonMs[r] = ivon.time(steps);
                    } else {
                        ivonMs[r] = ivon.time(steps);
                        adamMs[r] = adam.time(steps);
                    }
                }
                double a = StepBenchmark.median(adamMs);
                double i = StepBenchmark.median(ivonMs);
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| %s | %.2f | %.2f | %.2f |",
                                name,
                                a / millions,
                                i / millions,
                                i / a));
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Optimizer step on %.1f M float32 parameters (loss ½Σθ²); median of %d interleaved rounds of %d steps%n",
                millions,
                rounds,
                steps);
        System.out.println();
        System.out.println(
                "| backend | AdamW ms per M params | IVON (1 sample) ms per M params | IVON / AdamW |");
        System.out.println("| --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    /** One optimizer on its own copy of the parameters. */
    private static final class Run {
        private final Backend backend;
        private final Optimizer optimizer;
        private final RecordFunction<Optimizer.StepInputs> step;
        private long t;

        Run(Backend backend, String name, Map<String, String> options) {
            this.backend = backend;
            HostRandom random = new HostRandom(1);
            List<Variable> params = new ArrayList<>();
            for (int k = 0; k < MATRICES; k++) {
                params.add(
                        backend.variable(
                                "optbench." + name + k,
                                random.normal(SIZE * SIZE, 0, 0.02),
                                Shape.of(SIZE, SIZE),
                                DType.FLOAT32,
                                true));
            }
            optimizer = Plugins.discover().optimizers().get(name).create(options);
            optimizer.attach(backend, params);
            step =
                    RecordFunction.compile(
                            backend,
                            (ops, in) ->
                                    List.of(
                                            optimizer
                                                    .minimize(
                                                            ops,
                                                            List.of(
                                                                    values -> {
                                                                        Tensor total = null;
                                                                        for (Tensor v : values) {
                                                                            Tensor s =
                                                                                    ops.sum(
                                                                                            ops
                                                                                                    .square(
                                                                                                            v));
                                                                            total =
                                                                                    total == null
                                                                                            ? s
                                                                                            : ops
                                                                                                    .add(
                                                                                                            total,
                                                                                                            s);
                                                                        }
                                                                        return ops.mul(total, 0.5);
                                                                    }),
                                                            in)
                                                    .loss()));
        }

        double time(int steps) {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                try (Optimizer.StepInputs in = optimizer.stepInputs(backend, ++t)) {
                    step.call(in).forEach(Tensor::close);
                }
            }
            return (System.nanoTime() - start) / 1e6 / steps;
        }
    }
}
