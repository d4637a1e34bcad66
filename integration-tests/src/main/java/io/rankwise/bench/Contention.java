package io.rankwise.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ModelBenchmark competitor=N}: how much a training step slows down beside N CPU-bound
 * processes ({@link CpuBurner}, one spinning thread each: what a second JVM, a test suite or
 * another cell is to the step). The bound: with one competitor, at most 2.5× the quiet
 * step.
 *
 * <p>The parent runs nothing itself: each setting (a wait policy × an intra-op thread count) is a
 * child JVM with its own environment, because OpenMP reads {@code OMP_WAIT_POLICY} once, when
 * libtorch loads, and TensorFlow sizes its pools once per process. A child warms the step up, then
 * alternates {@code rounds} blocks of {@code steps} quiet steps and {@code steps} steps with the
 * competitors running (started before the block, stopped after it), and reports the medians.
 *
 * <p>Arguments besides ModelBenchmark's: {@code competitor=N} (processes, required), {@code
 * wait=PASSIVE,unset} (any of PASSIVE, ACTIVE, unset), {@code threads=0} (intra-op threads per
 * setting; 0 is the backend's default), {@code rounds=2}.
 */
final class Contention {
    /** The argument that makes ModelBenchmark a child of {@link #compare}. */
    static final String CHILD = "child";

    private static final List<String> WAITS = List.of("PASSIVE", "ACTIVE", "unset");
    private static final String RESULT = "CONTENTION ";
    private static final Pattern INTRA = Pattern.compile("threads: (\\d+) intra-op");

    private Contention() {}

    /** One setting's measurement. */
    private record Row(String policy, String threads, double quiet, double contended) {}

    /** The parent: one child JVM per setting, then the table. */
    static void compare(String backend, Map<String, String> a, int steps, int batch, int length)
            throws IOException, InterruptedException {
        int competitors = positive(a, "competitor", 1);
        int rounds = positive(a, "rounds", 2);
        List<String> waits = new ArrayList<>();
        for (String w : a.getOrDefault("wait", "PASSIVE,unset").split(",")) {
            if (!WAITS.contains(w.trim())) {
                throw new IllegalArgumentException(
                        "ModelBenchmark: wait has '"
                                + w.trim()
                                + "'; accepted: a comma-separated list of "
                                + String.join(", ", WAITS));
            }
            waits.add(w.trim());
        }
        List<Integer> threads = new ArrayList<>();
        for (String t : a.getOrDefault("threads", "0").split(",")) {
            threads.add(atLeastZero(Map.of("threads", t.trim()), "threads", 0));
        }
        List<Row> rows = new ArrayList<>();
        for (String wait : waits) {
            for (int t : threads) {
                rows.add(child(backend, wait, t, competitors, rounds, steps, batch, length));
            }
        }
        System.out.println();
        System.out.println("## The step beside CPU-bound processes (ModelBenchmark competitor=N)");
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "MiniLM-L6 training step with adapters, batch %d × %d, float32, Adam, on %s;"
                        + " %d cores; competitor: %d process%s, each spinning one thread."
                        + " One JVM per setting; medians of %d quiet and %d contended steps"
                        + " (%d quiet and %d contended block%s of %d steps, alternating).%n",
                batch,
                length,
                backend,
                Runtime.getRuntime().availableProcessors(),
                competitors,
                competitors == 1 ? "" : "es",
                rounds * steps,
                rounds * steps,
                rounds,
                rounds,
                rounds == 1 ? "" : "s",
                steps);
        System.out.println();
        System.out.println(
                "| backend | wait policy | intra-op threads | quiet s/step | contended s/step | ratio |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %.3f | %.3f | %.2f× |%n",
                    backend,
                    r.policy(),
                    r.threads(),
                    r.quiet(),
                    r.contended(),
                    r.contended() / r.quiet());
        }
        System.out.println();
        System.out.println(
                "Wait policy: the child JVM's OMP_WAIT_POLICY (unset: removed from its"
                        + " environment), which PyTorch's OpenMP threads (djl) read when libtorch"
                        + " loads. TensorFlow has no OpenMP: for tensorflow, PASSIVE runs its pools"
                        + " without spinning (rankwise.tensorflow.thread_spinning=false, the"
                        + " backend's default), ACTIVE and unset with TensorFlow's own spinning."
                        + " Intra-op threads: as the backend reported them.");
    }

    private static Row child(
            String backend,
            String wait,
            int threads,
            int competitors,
            int rounds,
            int steps,
            int batch,
            int length)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The heap and DJL's offline mode carry over; the spinning property is the setting's.
            if (!option.startsWith("-Drankwise.tensorflow.thread_spinning=")) {
                command.add(option);
            }
        }
        command.add(
                "-Drankwise.tensorflow.thread_spinning="
                        + (wait.equals("PASSIVE") ? "false" : "true"));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        ModelBenchmark.class.getName(),
                        "backend=" + backend,
                        "steps=" + steps,
                        "batch=" + batch,
                        "length=" + length,
                        "threads=" + threads,
                        "competitor=" + competitors,
                        "rounds=" + rounds,
                        CHILD + "=1"));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (wait.equals("unset")) {
            pb.environment().remove("OMP_WAIT_POLICY");
        } else {
            pb.environment().put("OMP_WAIT_POLICY", wait);
        }
        System.err.println(
                "contention: " + backend + ", wait policy " + wait + ", threads " + threads);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "ModelBenchmark: the child JVM for wait policy "
                            + wait
                            + " failed (exit "
                            + p.exitValue()
                            + "):\n"
                            + output);
        }
        String line =
                output.lines()
                        .filter(l -> l.startsWith(RESULT))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "ModelBenchmark: no result from the child JVM:\n"
                                                        + output));
        String[] f = line.substring(RESULT.length()).split(" ", 3);
        return new Row(wait, f[2], Double.parseDouble(f[0]), Double.parseDouble(f[1]));
    }

    /** The child: warm-up, then alternating quiet and contended blocks; prints the result line. */
    static void measure(ModelBenchmark.Training training, Map<String, String> a, int steps)
            throws IOException, InterruptedException {
        int competitors = positive(a, "competitor", 1);
        int rounds = positive(a, "rounds", 2);
        long t = 1;
        // The first call traces (TensorFlow) and warms the allocator; the second settles both.
        training.step(t++);
        training.step(t++);
        double[] quiet = new double[rounds * steps];
        double[] contended = new double[rounds * steps];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < steps; i++) {
                quiet[r * steps + i] = training.step(t++) / 1e3;
            }
            try (Burners burners = Burners.start(competitors)) {
                for (int i = 0; i < steps; i++) {
                    contended[r * steps + i] = training.step(t++) / 1e3;
                }
            }
            System.err.printf(
                    Locale.ROOT,
                    "  round %d: quiet %.3f s/step, contended %.3f s/step%n",
                    r + 1,
                    StepBenchmark.median(Arrays.copyOfRange(quiet, r * steps, (r + 1) * steps)),
                    StepBenchmark.median(
                            Arrays.copyOfRange(contended, r * steps, (r + 1) * steps)));
        }
        Matcher m = INTRA.matcher(training.backend().describe());
        System.out.printf(
                Locale.ROOT,
                "%s%.6f %.6f %s%n",
                RESULT,
                StepBenchmark.median(quiet),
                StepBenchmark.median(contended),
                m.find() ? m.group(1) : "?");
    }

    /** Competitor processes, running from {@link #start} until {@link #close}. */
    static final class Burners implements AutoCloseable {
        private final List<Process> processes;

        private Burners(List<Process> processes) {
            this.processes = processes;
        }

        /** Starts {@code n} and waits until each has its spinning thread running. */
        static Burners start(int n) throws IOException {
            List<Process> started = new ArrayList<>();
            Burners burners = new Burners(started);
            try {
                for (int i = 0; i < n; i++) {
                    started.add(
                            new ProcessBuilder(
                                            java(),
                                            "-Xmx32m",
                                            "-XX:+UseSerialGC",
                                            "-cp",
                                            System.getProperty("java.class.path"),
                                            CpuBurner.class.getName())
                                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                                    .start());
                }
                for (Process p : started) {
                    // The burner says so once its thread spins: the block starts under load, not
                    // under the start-up of n JVMs.
                    BufferedReader out =
                            new BufferedReader(
                                    new InputStreamReader(
                                            p.getInputStream(), StandardCharsets.UTF_8));
                    String line = out.readLine();
                    if (line == null || !line.startsWith(CpuBurner.READY)) {
                        throw new IOException(
                                "a competitor process did not start (exit "
                                        + (p.isAlive() ? "none yet" : p.exitValue())
                                        + ")");
                    }
                }
                return burners;
            } catch (IOException | RuntimeException e) {
                burners.close();
                throw e;
            }
        }

        @Override
        public void close() {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            for (Process p : processes) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Arguments of the form key=value, in order.
     *
     * @throws IllegalArgumentException for one without '='
     */
    static Map<String, String> arguments(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "ModelBenchmark: argument '" + arg + "' is not key=value");
            }
            m.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return m;
    }

    /**
     * An integer argument >= 1.
     *
     * @throws IllegalArgumentException naming it and its value otherwise
     */
    static int positive(Map<String, String> a, String key, int fallback) {
        int n = integer(a, key, fallback, "an integer >= 1");
        if (n < 1) {
            throw bad(key, a.get(key), "an integer >= 1");
        }
        return n;
    }

    /**
     * An integer argument >= 0.
     *
     * @throws IllegalArgumentException naming it and its value otherwise
     */
    static int atLeastZero(Map<String, String> a, String key, int fallback) {
        int n = integer(a, key, fallback, "an integer >= 0");
        if (n < 0) {
            throw bad(key, a.get(key), "an integer >= 0");
        }
        return n;
    }

    private static int integer(Map<String, String> a, String key, int fallback, String accepted) {
        String text = a.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw bad(key, text, accepted);
        }
    }

    private static IllegalArgumentException bad(String key, String value, String accepted) {
        return new IllegalArgumentException(
                "ModelBenchmark: " + key + " is '" + value + "'; accepted: " + accepted);
    }
}
