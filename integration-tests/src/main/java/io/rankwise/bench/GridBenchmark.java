package io.rankwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark command: ablation cells alone and side by side on one machine, per backend, each
 * setting a separate {@code ./rankwise ablate} process (as users run it). A cell is the default
 * grid's ivon+snr cell shortened to 32 steps (256 mails, 2 epochs of batch 16). Settings:
 *
 * <ol>
 *   <li>in-process, one cell, the engine's default threads;
 *   <li>Spark {@code local[2]} with {@code spark.task.cpus=2}, one cell (2 threads): against 1,
 *       what Spark adds per cell (start-up, shipping the spec, collecting the result);
 *   <li>Spark {@code local[1]}, one cell, 1 thread: the baseline for 4;
 *   <li>Spark {@code local[2]}, two cells side by side, 1 thread each;
 *   <li>two in-process JVMs side by side, one cell each, as plain runs start (the backend's default
 *       threads and the launcher's OMP_WAIT_POLICY=PASSIVE): two cells sharing a machine without
 *       Spark's CPU budget.
 * </ol>
 *
 * Prints, per setting, the cells' mean seconds per step (from their {@code cell.json}) and the wall
 * time of the command(s), and the ratios that matter: 4 against 3 and 5 against 1 (the slowdown of
 * a cell with a neighbour), 2 against 1 (Spark's overhead per cell).
 *
 * <p>Arguments: {@code backends=djl,tensorflow} (default both), {@code launcher=./rankwise}.
 */
public final class GridBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GridBenchmark() {}

    /** One setting's measurement. */
    record Measured(
            String setting, int cells, String threads, double secondsPerStep, double wall) {}

    /** Runs the settings on each backend and prints the table. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        List<String> backends = List.of(a.getOrDefault("backends", "djl,tensorflow").split(","));
        Path launcher = Path.of(a.getOrDefault("launcher", "./rankwise")).toAbsolutePath();
        Path out = Files.createTempDirectory("rankwise-grid-bench");
        System.out.println("## Ablation cells alone and side by side (GridBenchmark)");
        System.out.println();
        System.out.println(
                "Cell: ivon+snr on the demo task, 32 steps, MiniLM-L6; "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores. Each setting is its own command; s/step is the cells' mean.");
        System.out.println();
        System.out.println(
                "| backend | setting | cells | threads per cell | s/step | wall s | ratio |");
        System.out.println("| --- | --- | ---: | --- | ---: | ---: | --- |");
        for (String backend : backends) {
            Measured inProcess =
                    run(
                            launcher,
                            out,
                            backend,
                            "in-process, alone",
                            1,
                            "engine default",
                            List.of(),
                            List.of());
            Measured sparkAlone =
                    run(
                            launcher,
                            out,
                            backend,
                            "spark local[2], alone, spark.task.cpus=2",
                            1,
                            "2",
                            List.of("--executor", "spark", "--master", "local[2]"),
                            List.of("-Dspark.task.cpus=2"));
            Measured oneThread =
                    run(
                            launcher,
                            out,
                            backend,
                            "spark local[1], alone",
                            1,
                            "1",
                            List.of("--executor", "spark", "--master", "local[1]"),
                            List.of());
            Measured sideBySide =
                    run(
                            launcher,
                            out,
                            backend,
                            "spark local[2], side by side",
                            2,
                            "1",
                            List.of("--executor", "spark", "--master", "local[2]"),
                            List.of());
            Measured twoJvms = twoInProcessJvms(launcher, out, backend);
            print(backend, inProcess, "");
            print(
                    backend,
                    sparkAlone,
                    String.format(
                            Locale.ROOT,
                            "wall − in-process: %+.1f s (Spark's overhead per cell)",
                            sparkAlone.wall() - inProcess.wall()));
            print(backend, oneThread, "");
            print(
                    backend,
                    sideBySide,
                    String.format(
                            Locale.ROOT,
                            "s/step ÷ alone at 1 thread: %.2f×",
                            sideBySide.secondsPerStep() / oneThread.secondsPerStep()));
            print(
                    backend,
                    twoJvms,
                    String.format(
                            Locale.ROOT,
                            "s/step ÷ in-process alone: %.2f×",
                            twoJvms.secondsPerStep() / inProcess.secondsPerStep()));
        }
    }

    private static void print(String backend, Measured m, String ratio) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %d | %s | %.3f | %.1f | %s |%n",
                backend,
                m.setting(),
                m.cells(),
                m.threads(),
                m.secondsPerStep(),
                m.wall(),
                ratio);
        System.out.flush();
    }

    private static Measured run(
            Path launcher,
            Path out,
            String backend,
            String setting,
            int cells,
            String threads,
            List<String> extra,
            List<String> javaOptions)
            throws Exception {
        String name = backend + "-" + setting.replaceAll("[^a-z0-9]+", "-");
        long start = System.nanoTime();
        Process p = start(launcher, out, backend, name, cells, extra, javaOptions, Map.of());
        await(p, out.resolve(name + ".log"));
        double wall = (System.nanoTime() - start) / 1e9;
        return new Measured(setting, cells, threads, meanSecondsPerStep(out.resolve(name)), wall);
    }

    private static Measured twoInProcessJvms(Path launcher, Path out, String backend)
            throws Exception {
        long start = System.nanoTime();
        List<Process> both = new ArrayList<>();
        List<String> names = List.of(backend + "-jvm-a", backend + "-jvm-b");
        // Without Spark's budget: engine threads and OpenMP's wait policy as a plain run has them
        // (removed here, so that the launcher's default applies, not this benchmark's own).
        Map<String, String> env = Map.of("OMP_WAIT_POLICY", "");
        for (String name : names) {
            both.add(start(launcher, out, backend, name, 1, List.of(), List.of(), env));
        }
        for (int i = 0; i < both.size(); i++) {
            await(both.get(i), out.resolve(names.get(i) + ".log"));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double s =
                (meanSecondsPerStep(out.resolve(names.get(0)))
                                + meanSecondsPerStep(out.resolve(names.get(1))))
                        / 2;
        return new Measured("two in-process JVMs, side by side", 2, "engine default", s, wall);
    }

    private static Process start(
            Path launcher,
            Path out,
            String backend,
            String name,
            int cells,
            List<String> extra,
            List<String> javaOptions,
            Map<String, String> env)
            throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                launcher.toString(),
                                "ablate",
                                "--set",
                                "run.output_dir=" + out,
                                "--set",
                                "run.name=" + name,
                                "--set",
                                "ablation.backends=" + backend,
                                "--set",
                                "ablation.pairs=ivon+snr",
                                "--set",
                                "ablation.seeds=" + cells,
                                "--set",
                                "task.max_train=256",
                                "--set",
                                "task.max_eval=64"));
        command.addAll(extra);
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.resolve(name + ".log").toFile());
        pb.environment().put("RANKWISE_JAVA_OPTS", String.join(" ", javaOptions));
        env.forEach(
                (k, v) -> {
                    if (v.isEmpty()) {
                        pb.environment().remove(k);
                    } else {
                        pb.environment().put(k, v);
                    }
                });
        return pb.start();
    }

    private static void await(Process p, Path log) throws Exception {
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "a benchmark command failed ("
                            + p.exitValue()
                            + "):\n"
                            + Files.readString(log));
        }
    }

    private static double meanSecondsPerStep(Path grid) throws IOException {
        try (Stream<Path> cells = Files.list(grid)) {
            return cells.filter(c -> Files.isRegularFile(c.resolve("cell.json")))
                    .mapToDouble(GridBenchmark::secondsPerStep)
                    .average()
                    .orElseThrow(() -> new IllegalStateException("no finished cell in " + grid));
        }
    }

    private static double secondsPerStep(Path cell) {
        try {
            JsonNode record = JSON.readTree(cell.resolve("cell.json").toFile());
            return record.get("secondsPerStep").asDouble();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        Arrays.stream(args)
                .map(s -> s.split("=", 2))
                .forEach(kv -> m.put(kv[0], kv.length > 1 ? kv[1] : ""));
        return m;
    }
}
