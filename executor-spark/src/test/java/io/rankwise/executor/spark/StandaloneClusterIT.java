package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 2 of the issue, on a real standalone cluster started here: one Spark Master and two Workers,
 * separate JVMs on 127.0.0.1, started with {@code executor-spark/spark-standalone} as the README's
 * walkthrough starts them (a SPARK_HOME under {@code target/} whose {@code jars/} come from this
 * project's Maven dependencies). Each Worker offers 2 cores and two fake GPUs (addresses 3 and 5,
 * from {@code fake-gpus.sh}). The drivers are separate JVMs, as {@code rankwise ablate} is.
 *
 * <p>Runs after {@code package} (failsafe), because the script reads the packaged jar and class
 * path files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration GRID = Duration.ofMinutes(6);

    @TempDir static Path dir;
    private static Process master;
    private static final List<Process> workers = new ArrayList<>();
    private static String url;
    private static int webUi;

    @BeforeAll
    static void startCluster() throws Exception {
        int port = freePort();
        webUi = freePort();
        url = "spark://127.0.0.1:" + port;
        master =
                start(
                        "master",
                        List.of(
                                "master",
                                "--host",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(port),
                                "--webui-port",
                                String.valueOf(webUi)));
        waitFor("the master's web UI", () -> masterStatus().contains("\"aliveworkers\""), master);
        Path gpus = Path.of(StandaloneClusterIT.class.getResource("/fake-gpus.sh").toURI());
        Path properties = dir.resolve("worker.properties");
        Files.writeString(
                properties,
                "spark.worker.resource.gpu.amount 2\n"
                        + "spark.worker.resource.gpu.discoveryScript "
                        + gpus
                        + "\n");
        for (int i = 0; i < 2; i++) {
            workers.add(
                    start(
                            "worker" + i,
                            List.of(
                                    "worker",
                                    url,
                                    "--host",
                                    "127.0.0.1",
                                    "--cores",
                                    "2",
                                    "--memory",
                                    "6g",
                                    "--webui-port",
                                    "0",
                                    "--work-dir",
                                    dir.resolve("work" + i).toString(),
                                    "--properties-file",
                                    properties.toString())));
        }
        waitFor("two alive workers", () -> masterStatus().contains("\"aliveworkers\" : 2"), master);
    }

    @AfterAll
    static void stopCluster() {
        for (Process worker : workers) {
            kill(worker);
        }
        if (master != null) {
            kill(master);
        }
    }

    @Test
    @Order(1)
    void cellsRunningSideBySideAreGivenDistinctGpuAddresses() throws Exception {
        Path log = dir.resolve("devices.log");
        Path testClasses =
                Path.of(
                        RecordingBackendProvider.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        Driver driver =
                driver(
                        "gpus",
                        List.of(
                                "-Dspark.executor.cores=2",
                                "-Dspark.cores.max=2",
                                "-Dspark.executor.resource.gpu.amount=2",
                                "-Dspark.task.resource.gpu.amount=1",
                                "-Dspark.executor.extraClassPath=" + testClasses,
                                "-Dspark.executor.extraJavaOptions=-D"
                                        + RecordingBackendProvider.LOG
                                        + "="
                                        + log),
                        List.of(
                                "--set",
                                "ablation.backends=recording",
                                "--set",
                                "ablation.seeds=2"));
        driver.awaitSuccess();

        List<String> lines = Files.readAllLines(log);
        assertEquals(4, lines.size(), "one backend per cell: " + lines);
        List<long[]> windows = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (Path cell : GridRuns.cells(driver.grid())) {
            String device = GridRuns.cellRecord(cell).get("device").asText();
            assertTrue(List.of("gpu:3", "gpu:5").contains(device), cell + ": " + device);
            devices.add(device);
            String line =
                    lines.stream()
                            .filter(l -> l.startsWith(device + " "))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "the backend was asked for "
                                                            + device
                                                            + ": "
                                                            + lines));
            assertEquals(
                    "1", line.split(" ")[1], "spark.task.cpus 1 became 1 engine thread: " + line);
        }
        // Each run's window: from its backend's creation to its cell.json.
        List<String> starts = new ArrayList<>(lines);
        for (Path cell : GridRuns.cells(driver.grid())) {
            String device = GridRuns.cellRecord(cell).get("device").asText();
            long end = Files.getLastModifiedTime(cell.resolve("cell.json")).toMillis();
            String line =
                    starts.stream()
                            .filter(l -> l.startsWith(device + " "))
                            .filter(l -> Long.parseLong(l.split(" ")[3]) <= end)
                            .reduce((a, b) -> b)
                            .orElseThrow();
            starts.remove(line);
            windows.add(new long[] {Long.parseLong(line.split(" ")[3]), end});
        }
        int overlapping = 0;
        for (int i = 0; i < windows.size(); i++) {
            for (int j = i + 1; j < windows.size(); j++) {
                boolean overlap =
                        windows.get(i)[0] < windows.get(j)[1]
                                && windows.get(j)[0] < windows.get(i)[1];
                if (overlap) {
                    overlapping++;
                    assertNotEquals(
                            devices.get(i),
                            devices.get(j),
                            "cells running at the same time got the same GPU: " + lines);
                }
            }
        }
        assertTrue(overlapping > 0, "two task slots ran cells side by side: " + lines);
    }

    @Test
    @Order(2)
    void aGridOutlivesAWorkerKilledInTheMiddleAndGivesTheInProcessNumbers() throws Exception {
        Path reference = GridRuns.reference();
        Driver driver =
                driver(
                        "killed-worker",
                        List.of("-Dspark.executor.cores=1", "-Dspark.cores.max=2"),
                        List.of());
        Path grid = driver.grid();
        // In the middle: one cell finished, two running (one on each worker's executor).
        waitFor(
                "one finished cell and two running",
                () -> GridRuns.finishedCells(grid) >= 1 && unfinishedCells(grid) >= 2,
                driver.process());
        Process victim = workers.get(1);
        kill(victim);
        driver.awaitSuccess();

        String out = Files.readString(driver.log());
        System.out.println("--- the driver of the grid with a killed worker ---\n" + out);
        assertTrue(
                out.contains("Lost executor") || out.contains("ExecutorLostFailure"),
                "the driver saw an executor lost:\n" + out);
        assertEquals(4, out.lines().filter(l -> l.matches("cell \\d/4 done: .*")).count(), out);
        assertEquals(GridRuns.metricColumns(reference), GridRuns.metricColumns(grid));
        assertEquals(GridRuns.rankPatterns(reference), GridRuns.rankPatterns(grid));
    }

    private static long unfinishedCells(Path grid) {
        try {
            return GridRuns.cells(grid).stream()
                    .filter(c -> !Files.exists(c.resolve("cell.json")))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A driver JVM running the tiny grid on the cluster. */
    private record Driver(Process process, Path log, Path grid) {
        void awaitSuccess() throws Exception {
            if (!process.waitFor(GRID.toSeconds(), TimeUnit.SECONDS)) {
                kill(process);
                fail("the grid did not finish in " + GRID + ":\n" + Files.readString(log));
            }
            assertEquals(0, process.exitValue(), Files.readString(log));
        }
    }

    private static Driver driver(String name, List<String> jvm, List<String> extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--executor", "spark", "--master", url));
        args.addAll(extra);
        List<String> command =
                GridRuns.javaCommand(
                        Main.class.getName(),
                        GridRuns.arguments(dir, name, args.toArray(String[]::new)));
        command.addAll(1, jvm);
        Path log = dir.resolve(name + ".log");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return new Driver(p, log, dir.resolve(name));
    }

    private static Process start(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of("spark-standalone").toAbsolutePath().toString());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    private static String masterStatus() {
        try (InputStream in =
                URI.create("http://127.0.0.1:" + webUi + "/json/").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void waitFor(String what, BooleanSupplier condition, Process watched)
            throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (!condition.getAsBoolean()) {
            if (!watched.isAlive()) {
                fail(what + ": the process exited (" + watched.exitValue() + ")" + logs());
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + START + logs());
            }
            Thread.sleep(100);
        }
    }

    private static String logs() throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".log")).toList()) {
                all.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        StringBuilder sb = new StringBuilder();
        all.forEach((k, v) -> sb.append("\n--- ").append(k).append(" ---\n").append(v));
        return sb.toString();
    }

    /** SIGKILL to a process and everything it started (a Worker's executors). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
