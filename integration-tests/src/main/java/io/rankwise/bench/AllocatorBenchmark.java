package io.rankwise.bench;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.allocators.AdaLoraConfig;
import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Plugin;
import io.rankwise.training.step.AdaLoraTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Benchmark command: the per-step cost of the rank allocator on top of the optimizer step, for Adam
 * + sensitivity and IVON + snr, at the size of a 6-layer, 384-wide encoder with adapters on 6
 * matrices per layer (query, key, value, attention output 384×384; intermediate 384→1536; output
 * 1536→384), init_r 6, float32. The loss is a regression of every adapter's output on a batch of 16
 * rows, so that the update and the allocator, not a model's forward pass, dominate. Masking every
 * 10 steps, as in the paper's large tasks.
 *
 * <p>Arguments: {@code rounds=N} (default 7), {@code steps=N} per round (default 20), {@code
 * backends=...}.
 */
public final class AllocatorBenchmark {
    private static final int LAYERS = 6;
    private static final int[][] MATRICES = {
        {384, 384}, {384, 384}, {384, 384}, {384, 384}, {384, 1536}, {1536, 384}
    };
    private static final int ROWS = 16;

    private AllocatorBenchmark() {}

    /** One configuration of the table. */
    private record Config(String optimizer, Map<String, String> options, String metric) {
        String label() {
            return optimizer + (metric == null ? " alone" : " + " + metric);
        }
    }

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) {
        int rounds = StepBenchmark.intArg(args, "rounds", 7);
        int steps = StepBenchmark.intArg(args, "steps", 20);
        var registry = Plugins.discover().backends();
        List<String> names =
                Arrays.stream(args)
                        .filter(a -> a.startsWith("backends="))
                        .findFirst()
                        .map(a -> List.of(a.substring("backends=".length()).split(",")))
                        .orElseGet(() -> registry.providers().stream().map(Plugin::name).toList());
        Map<String, String> ivon = Map.of("lr", "0.1", "ess", "10000");
        List<Config> configs =
                List.of(
                        new Config("adam", Map.of(), null),
                        new Config("adam", Map.of(), "sensitivity"),
                        new Config("ivon", ivon, null),
                        new Config("ivon", ivon, "snr"));
        List<String> rows = new ArrayList<>();
        for (String name : names) {
            try (Backend backend = registry.get(name).create(Device.cpu())) {
                System.err.println("benchmarking " + name + ": " + backend.describe());
                List<Run> runs = new ArrayList<>();
                for (Config c : configs) {
                    runs.add(new Run(backend, c));
                }
                double[][] ms = new double[configs.size()][rounds];
                long[] t = new long[configs.size()];
                for (int i = 0; i < runs.size(); i++) { // warm-up, including the first masks
                    for (int s = 0; s < 20; s++) {
                        runs.get(i).step(++t[i]);
                    }
                }
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < runs.size(); k++) {
                        int i = (k + r) % runs.size(); // rotate the order each round
                        long start = System.nanoTime();
                        for (int s = 0; s < steps; s++) {
                            runs.get(i).step(++t[i]);
                        }
                        ms[i][r] = (System.nanoTime() - start) / 1e6 / steps;
                    }
                }
                double adamAlone = StepBenchmark.median(ms[0]);
                double ivonAlone = StepBenchmark.median(ms[2]);
                for (int i = 0; i < configs.size(); i++) {
                    double m = StepBenchmark.median(ms[i]);
                    double base = i < 2 ? adamAlone : ivonAlone;
                    rows.add(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %.2f | %+.2f (%+.0f%%) | %.2f |",
                                    name,
                                    configs.get(i).label(),
                                    m,
                                    m - base,
                                    100 * (m - base) / base,
                                    m / StepBenchmark.median(ms[1])));
                }
                runs.forEach(Run::close);
            }
        }
        System.out.println();
        System.out.println(
                "Allocator overhead, 36 adapters (6 layers x 6 matrices, 384 wide, init_r 6), batch 16 rows per adapter,"
                        + " float32; median of "
                        + rounds
                        + " rotated rounds of "
                        + steps
                        + " steps");
        System.out.println();
        System.out.println(
                "| backend | configuration | ms/step | overhead over the optimizer alone, ms | relative to adam + sensitivity |");
        System.out.println("| --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    /**
     * One adapter's regression data.
     *
     * @param x its inputs, rows × d_in
     * @param y its targets, rows × d_out
     */
    private record Pair(Tensor x, Tensor y) {}

    /**
     * The step's data.
     *
     * @param pairs one pair per adapter, in the adapters' order
     */
    private record Batch(List<Pair> pairs) {}

    /**
     * The inputs of a step without the allocator.
     *
     * @param batch the data
     * @param optimizer the optimizer's step inputs
     */
    private record PlainStep(Batch batch, Optimizer.StepInputs optimizer) {}

    /** Adapters, data, optimizer and (optionally) allocator for one configuration. */
    private static final class Run implements AutoCloseable {
        private final Batch batch;
        private final AdaLoraTrainer<Batch> trainer;
        private final RecordFunction<PlainStep> plainStep;
        private final Optimizer optimizer;
        private final Backend backend;

        Run(Backend backend, Config config) {
            this.backend = backend;
            HostRandom random = new HostRandom(5);
            List<SvdAdapter> adapters = new ArrayList<>();
            List<Pair> pairs = new ArrayList<>();
            String prefix = "bench" + System.identityHashCode(this) + ".";
            for (int l = 0; l < LAYERS; l++) {
                for (int m = 0; m < MATRICES.length; m++) {
                    int dIn = MATRICES[m][0];
                    int dOut = MATRICES[m][1];
                    adapters.add(
                            new SvdLowRankAdapter(
                                    backend,
                                    prefix + "layer" + l + ".m" + m,
                                    dIn,
                                    dOut,
                                    6,
                                    12,
                                    DType.FLOAT32,
                                    HostRandom.forStream(l, m)));
                    Tensor x =
                            backend.tensor(
                                    random.normal(ROWS * dIn, 0, 1),
                                    Shape.of(ROWS, dIn),
                                    DType.FLOAT32);
                    Tensor y =
                            backend.tensor(
                                    random.normal(ROWS * dOut, 0, 0.1),
                                    Shape.of(ROWS, dOut),
                                    DType.FLOAT32);
                    pairs.add(new Pair(x, y));
                }
            }
            batch = new Batch(List.copyOf(pairs));
            optimizer =
                    Plugins.discover()
                            .optimizers()
                            .get(config.optimizer())
                            .create(config.options());
            AdaLoraTrainer.Loss<Batch> loss =
                    (ops, in, valueOf) -> regression(ops, in, adapters, valueOf);
            if (config.metric() == null) {
                trainer = null;
                List<Variable> params = new ArrayList<>();
                adapters.forEach(a -> params.addAll(a.parameters()));
                optimizer.attach(backend, params);
                List<Variable> order = optimizer.parameters();
                plainStep =
                        RecordFunction.compile(
                                backend,
                                (ops, in) -> {
                                    Function<List<Tensor>, Tensor> objective =
                                            values ->
                                                    regression(
                                                            ops,
                                                            in.batch(),
                                                            adapters,
                                                            v -> values.get(order.indexOf(v)));
                                    return List.of(
                                            optimizer
                                                    .minimize(
                                                            ops, List.of(objective), in.optimizer())
                                                    .loss());
                                });
            } else {
                plainStep = null;
                AdaLoraAllocator allocator =
                        new AdaLoraAllocator(new AdaLoraConfig(6, 4, 0, 0, 10, 1_000_000, 0));
                trainer =
                        new AdaLoraTrainer<>(
                                backend,
                                optimizer,
                                allocator,
                                Plugins.discover().metrics().get(config.metric()).create(Map.of()),
                                adapters,
                                List.of(),
                                loss);
            }
        }

        private static Tensor regression(
                Ops ops,
                Batch batch,
                List<SvdAdapter> adapters,
                Function<Variable, Tensor> valueOf) {
            Tensor total = null;
            for (int k = 0; k < adapters.size(); k++) {
                SvdAdapter a = adapters.get(k);
                Pair data = batch.pairs().get(k);
                Tensor out = a.delta(ops, data.x(), a.parameters().stream().map(valueOf).toList());
                Tensor mse = ops.mean(ops.square(ops.sub(out, data.y())));
                total = total == null ? mse : ops.add(total, mse);
            }
            return total;
        }

        void step(long t) {
            if (trainer != null) {
                trainer.step(t, batch);
                return;
            }
            try (Optimizer.StepInputs stepInputs = optimizer.stepInputs(backend, t)) {
                plainStep.call(new PlainStep(batch, stepInputs)).forEach(Tensor::close);
            }
        }

        @Override
        public void close() {
            if (trainer != null) {
                trainer.close();
            } else {
                plainStep.close();
            }
            TensorRecords.close(batch);
        }
    }
}
