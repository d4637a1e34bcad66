package io.rankwise.executor.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The tiny grid of the executor tests (four cells: djl and tensorflow × adam+sensitivity and
 * ivon+snr, a few seconds each), run as a user runs it, and the parts of its results that must not
 * depend on where the cells ran.
 */
final class GridRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path reference;

    private GridRuns() {}

    /** What {@code rankwise ablate} printed and left. */
    record Outcome(int exitCode, String out, String err, Path grid) {
        String both() {
            return out + err;
        }
    }

    /** The grid file. */
    static Path gridFile() {
        try {
            return Path.of(GridRuns.class.getResource("/tiny-grid.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code rankwise ablate} on the tiny grid in this JVM, into {@code outputDir/name}. */
    static Outcome ablate(Path outputDir, String name, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(arguments(outputDir, name, extra).toArray(String[]::new));
        return new Outcome(rc, out.toString(), err.toString(), outputDir.resolve(name));
    }

    /** The command-line arguments of the tiny grid into {@code outputDir/name}. */
    static List<String> arguments(Path outputDir, String name, String... extra) {
        List<String> args = new ArrayList<>();
        args.add("ablate");
        args.add("--config");
        args.add(gridFile().toString());
        args.add("--set");
        args.add("run.output_dir=" + outputDir);
        args.add("--set");
        args.add("run.name=" + name);
        args.addAll(Arrays.asList(extra));
        return args;
    }

    /**
     * A JVM that runs {@code rankwise} with these arguments as the launcher would with {@code
     * --executor spark}: this test's class path, Spark's JVM options.
     */
    static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xss4m");
        command.add("@" + Path.of("spark-jvm.options").toAbsolutePath());
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The tiny grid run by the in-process executor, once per JVM: what every other executor must
     * reproduce.
     */
    static synchronized Path reference() throws IOException {
        if (reference == null) {
            Path dir = Files.createTempDirectory("rankwise-reference-grid");
            Outcome o = ablate(dir, "in-process");
            if (o.exitCode() != 0) {
                throw new IllegalStateException(
                        "the in-process reference grid failed:\n" + o.both());
            }
            reference = o.grid();
        }
        return reference;
    }

    /**
     * The table without the columns that measure the machine (seconds per step, peak memory):
     * backend, configuration, task, seeds and every task metric's mean and spread, six digits.
     */
    static List<String> metricColumns(Path grid) throws IOException {
        List<String> lines = Files.readAllLines(grid.resolve("ablation.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        int keep = header.indexOf("seconds_per_step_mean");
        if (keep < 0) {
            throw new IllegalStateException("no seconds_per_step_mean column: " + header);
        }
        return lines.stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, keep)))
                .toList();
    }

    /** Each cell's final rank pattern ({@code rank_pattern.json}), by cell. */
    static Map<String, String> rankPatterns(Path grid) throws IOException {
        Map<String, String> patterns = new TreeMap<>();
        for (Path cell : cells(grid)) {
            patterns.put(
                    cell.getFileName().toString(),
                    Files.readString(cell.resolve("rank_pattern.json"), StandardCharsets.UTF_8));
        }
        return patterns;
    }

    /** The cell folders of a grid. */
    static List<Path> cells(Path grid) throws IOException {
        try (Stream<Path> s = Files.list(grid)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.yaml"))).sorted().toList();
        }
    }

    /** A finished cell's {@code cell.json}. */
    static JsonNode cellRecord(Path cell) {
        try {
            return JSON.readTree(cell.resolve("cell.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many cells of {@code grid} have finished. */
    static long finishedCells(Path grid) {
        if (!Files.isDirectory(grid)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(grid)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("cell.json"))).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
