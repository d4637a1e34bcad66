package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.cli.Main;
import io.rankwise.training.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two {@code train} runs into one {@code --run-dir} used to both exit 0, interleaving one folder.
 * Now, while a {@code train} in a child JVM writes the folder, a second one (fresh, or {@code
 * --resume}) is refused at start naming the process, its host and the lock file (exit 2); once the
 * first is killed with SIGKILL, a third start takes over the stale lock, says so, and finishes.
 */
class OneWriterPerRunFolderTest {
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(8);

    @TempDir Path dir;

    @Test
    void aSecondTrainIsRefusedWhileTheFirstRunsAndAThirdTakesOverAfterAKill() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
        Path run = dir.resolve("run").toAbsolutePath();
        Path childLog = dir.resolve("child.log");

        Process first = startTrain(config, run, childLog);
        try {
            waitForCheckpoint(first, run, childLog);
            // Frozen (SIGSTOP) where it stands: still alive and holding the folder, however fast
            // this machine trains, for as long as the test needs.
            signal("STOP", first.pid());
            String held = Files.readString(run.resolve(RunFolderLock.FILE_NAME));
            assertTrue(held.contains("pid: " + first.pid() + "\n"), held);
            String inUse =
                    "rankwise: the run folder "
                            + run
                            + " is in use by process "
                            + first.pid()
                            + " on "
                            + RunFolderLock.host()
                            + " ("
                            + run.resolve(RunFolderLock.FILE_NAME)
                            + "); wait for it to finish";

            // A second run into the folder, and a --resume of it, while the first writes it.
            for (List<String> extra : List.of(List.<String>of(), List.of("--resume"))) {
                StringWriter err = new StringWriter();
                int rc = train(config, run, err, extra);
                assertEquals(2, rc, "refused as bad input: " + extra + " " + err);
                assertEquals(inUse, err.toString().strip(), "named: " + extra);
                assertTrue(first.isAlive(), "the first is still running; " + tail(childLog));
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: nothing of the child runs after it
            if (!first.waitFor(2, TimeUnit.MINUTES)) {
                fail("the child did not die within 2 minutes of SIGKILL");
            }
        }
        assertTrue(
                Files.exists(run.resolve(RunFolderLock.FILE_NAME)),
                "the killed run left its lock file");

        StringWriter err = new StringWriter();
        int rc = train(config, run, err, List.of("--resume"));
        assertEquals(0, rc, "the third start finishes the run: " + err);
        assertTrue(
                err.toString()
                        .contains(
                                "rankwise: taking over a stale lock of process "
                                        + first.pid()
                                        + " on "
                                        + RunFolderLock.host()),
                err.toString());
        assertTrue(Files.isRegularFile(run.resolve("report.md")), "the run finished");
        assertFalse(
                Files.exists(run.resolve(RunFolderLock.FILE_NAME)),
                "a finished run leaves no lock behind");
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }

    private static int train(Path config, Path run, StringWriter err, List<String> extra) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "train",
                                "--config",
                                config.toString(),
                                "--run-dir",
                                run.toString()));
        args.addAll(extra);
        return cl.execute(args.toArray(String[]::new));
    }

    private static Process startTrain(Path config, Path run, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        java.toString(),
                        "-Xss4m",
                        "-Dai.djl.offline=true",
                        "-Dorg.slf4j.simpleLogger.log.ai.djl=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "train",
                        "--config",
                        config.toString(),
                        "--run-dir",
                        run.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Waits until the child has written its first checkpoint, so that the run can be resumed. */
    private static void waitForCheckpoint(Process child, Path run, Path log) throws Exception {
        long deadline = System.nanoTime() + CHILD_DEADLINE.toNanos();
        while (!Files.exists(Checkpoint.file(run))) {
            if (!child.isAlive()) {
                fail("the child exited (" + child.exitValue() + "); its output:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no checkpoint within " + CHILD_DEADLINE + "; output:\n" + tail(log));
            }
            Thread.sleep(50);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines =
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    /** A small run: 8 steps, a checkpoint every 2. */
    private static final String CONFIG =
            """
            run:
              seed: 11
              log_every: 1
              eval_every: 0
              checkpoint_every: 2
            backend:
              name: djl
              device: cpu
            model:
              source: embedded:all-minilm-l6-v2
              max_length: 16
              pooling: mean
            adapter:
              kind: adalora
              init_r: 2
              lora_alpha: 4
              target_modules: [query]
            allocator:
              name: adalora
              options:
                target_r: 1
                tinit: 2
                tfinal: 4
                delta_t: 2
            optimizer:
              name: adam
              options:
                lr: 0.01
            metric:
              name: sensitivity
            task:
              name: spam-assassin
              max_train: 32
              max_eval: 8
            training:
              epochs: 2
              batch_size: 8
              test_samples: 0
            """;
}
