package io.rankwise.bench;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import io.rankwise.cli.smoke.LoraData;
import io.rankwise.cli.smoke.LoraProblem;
import io.rankwise.training.ProcessMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * Benchmark command: the LoRA training step (768×768, rank 8, batch 64, float32, Adam) through
 * Rankwise and hand-written against the same engine, interleaved round by round in one process so
 * that machine noise hits both alike; then resident memory over 10,000 small steps per backend.
 * Prints Markdown tables.
 *
 * <p>Arguments (all optional): {@code rounds=N} (default 15), {@code steps=N} per round (default
 * 40), {@code backends=djl,tensorflow}, {@code memory=false} to skip the memory check.
 */
public final class StepBenchmark {
    private static final long SEED = 11;
    private static final float LR = 1e-3f;

    private StepBenchmark() {}

    /** Runs the benchmark; see the class comment for arguments. */
    public static void main(String[] args) {
        int rounds = intArg(args, "rounds", 15);
        int steps = intArg(args, "steps", 40);
        boolean memory = !Arrays.asList(args).contains("memory=false");
        PluginRegistry<BackendProvider> registry = Plugins.discover().backends();
        List<String> names =
                Arrays.stream(args)
                        .filter(a -> a.startsWith("backends="))
                        .findFirst()
                        .map(a -> List.of(a.substring("backends=".length()).split(",")))
                        .orElseGet(() -> registry.providers().stream().map(Plugin::name).toList());

        List<String> stepRows = new ArrayList<>();
        List<String> memoryRows = new ArrayList<>();
        for (String name : names) {
            try (Backend backend = registry.get(name).create(Device.cpu())) {
                System.err.println("benchmarking " + name + ": " + backend.describe());
                stepRows.add(stepRow(name, backend, rounds, steps));
                if (memory) {
                    memoryRows.add(memoryRow(name, backend));
                }
            }
        }
        System.out.println();
        System.out.println(
                "LoRA training step, 768x768, rank 8, batch 64, float32, Adam; median of "
                        + rounds
                        + " interleaved rounds of "
                        + steps
                        + " steps");
        System.out.println();
        System.out.println(
                "| backend | Rankwise ms/step | hand-written ms/step | ratio (Rankwise / hand-written) | loss after warm-up (Rankwise, hand-written) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        stepRows.forEach(System.out::println);
        if (memory) {
            System.out.println();
            System.out.println(
                    "Resident memory over 10,000 small LoRA steps (64x64, rank 4, batch 32), after 2,000 warm-up steps");
            System.out.println();
            System.out.println(
                    "| backend | RSS after warm-up MiB | RSS after 10,000 more steps MiB | growth MiB |");
            System.out.println("| --- | --- | --- | --- |");
            memoryRows.forEach(System.out::println);
        }
    }

    private static String stepRow(String name, Backend backend, int rounds, int steps) {
        LoraData data = LoraData.generate(LoraProblem.Size.benchmark(), SEED);
        try (LoraProblem framework =
                        new LoraProblem(
                                backend, LoraProblem.Size.benchmark(), DType.FLOAT32, SEED, LR);
                HandWrittenStep hand =
                        name.equals("tensorflow")
                                ? new TfHandWrittenStep(data, LR)
                                : new DjlHandWrittenStep(data, LR)) {
            long[] t = {0, 0};
            double lossFramework = 0;
            double lossHand = 0;
            for (int i = 0; i < 30; i++) { // warm-up: JIT, graph optimisation, allocator pools
                lossFramework = framework.step(++t[0]);
                lossHand = hand.step(++t[1]);
            }
            double[] frameworkMs = new double[rounds];
            double[] handMs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                // Alternate which goes first, so that neither always runs on a warmer machine.
                if (r % 2 == 0) {
                    frameworkMs[r] = time(step -> framework.step(step), t, 0, steps);
                    handMs[r] = time(hand::step, t, 1, steps);
                } else {
                    handMs[r] = time(hand::step, t, 1, steps);
                    frameworkMs[r] = time(step -> framework.step(step), t, 0, steps);
                }
            }
            double f = median(frameworkMs);
            double h = median(handMs);
            return String.format(
                    Locale.ROOT,
                    "| %s | %.3f | %.3f | %.3f | %.6f, %.6f |",
                    name,
                    f,
                    h,
                    f / h,
                    lossFramework,
                    lossHand);
        }
    }

    private static double time(LongToDoubleFunction step, long[] counters, int which, int steps) {
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.applyAsDouble(++counters[which]);
        }
        return (System.nanoTime() - start) / 1e6 / steps;
    }

    private static String memoryRow(String name, Backend backend) {
        try (LoraProblem problem =
                new LoraProblem(backend, LoraProblem.Size.small(), DType.FLOAT32, SEED, 1e-2)) {
            long t = 0;
            for (int i = 0; i < 2_000; i++) {
                problem.step(++t);
            }
            double before = ProcessMemory.currentMiB();
            for (int i = 0; i < 10_000; i++) {
                problem.step(++t);
            }
            double after = ProcessMemory.currentMiB();
            return String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %+.1f |",
                    name,
                    before,
                    after,
                    after - before);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static int intArg(String[] args, String key, int fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return Integer.parseInt(a.substring(key.length() + 1));
            }
        }
        return fallback;
    }
}
