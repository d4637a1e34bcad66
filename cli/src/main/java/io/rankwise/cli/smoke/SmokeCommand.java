package io.rankwise.cli.smoke;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import io.rankwise.cli.Main;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rankwise smoke}: trains the small LoRA problem on each backend and prints the loss. */
@Command(
        name = "smoke",
        mixinStandardHelpOptions = true,
        description =
                "Train a small LoRA-style adapter (hand-written Adam) on each backend and print the loss.")
public final class SmokeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--backends",
            split = ",",
            description = "Backends to run (default: every discovered one).")
    List<String> backends;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--steps",
            defaultValue = "200",
            description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--dtype",
            defaultValue = "float32",
            description = "float32 or float64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Seed of the data and the start (default: ${DEFAULT-VALUE}).")
    long seed;

    @ParentCommand Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (steps < 1) {
            throw new IllegalArgumentException("--steps is " + steps + "; it must be >= 1");
        }
        Device target = Device.parse(device);
        DType type = DType.parse(dtype);
        if (!type.isFloating()) {
            throw new IllegalArgumentException(
                    "--dtype is " + dtype + "; accepted: float32, float64");
        }
        PluginRegistry<BackendProvider> registry = main.plugins().backends();
        registry.problems().forEach(p -> out.println("unusable backend " + p));
        List<String> names =
                backends != null
                        ? backends
                        : registry.providers().stream().map(Plugin::name).toList();
        if (names.isEmpty()) {
            out.println("no backend is on the class path");
            return 1;
        }
        int failures = 0;
        for (String name : names) {
            try {
                runOne(out, registry.get(name.trim()), target, type);
            } catch (RuntimeException e) {
                failures++;
                out.println("backend " + name + " FAILED: " + e.getMessage());
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private void runOne(PrintWriter out, BackendProvider provider, Device target, DType type) {
        long start = System.nanoTime();
        try (Backend backend = provider.create(target);
                LoraProblem problem =
                        new LoraProblem(backend, LoraProblem.Size.small(), type, seed, 1e-2)) {
            out.printf(Locale.ROOT, "%s: %s%n", provider.name(), backend.describe());
            double first = Double.NaN;
            double last = Double.NaN;
            long trainStart = System.nanoTime();
            for (int t = 1; t <= steps; t++) {
                last = problem.step(t);
                if (t == 1) {
                    first = last;
                }
                if (t == 1 || t % Math.max(1, steps / 4) == 0 || t == steps) {
                    out.printf(Locale.ROOT, "  step %4d  loss %.6f%n", t, last);
                    out.flush();
                }
            }
            double perStep = (System.nanoTime() - trainStart) / 1e6 / steps;
            out.printf(
                    Locale.ROOT,
                    "  %s: loss %.6f -> %.6f in %d steps (%.3f ms/step, %.1f s with start-up)%n",
                    provider.name(),
                    first,
                    last,
                    steps,
                    perStep,
                    (System.nanoTime() - start) / 1e9);
            if (!(last < first)) {
                throw new IllegalStateException(
                        "the loss did not fall (" + first + " -> " + last + ")");
            }
        }
    }
}
