package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rankwise.cli.Main;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.cli.report.StepEntry;
import io.rankwise.training.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rankwise train} in a child JVM, killed with SIGKILL after its first checkpoint, then
 * continued with {@code --resume}, reaches exactly the numbers of an uninterrupted run on the same
 * backend: every logged loss, the dev metrics, the rank pattern, the exported adapter and the final
 * checkpoint. Unlike {@link ResumeTest}, nothing in the killed process gets to run after the kill
 * (no finally blocks, no flushes, no shutdown hooks), so this also checks that what a run leaves on
 * disk at any instant is enough to continue from.
 */
class KillResumeTest {
    /** 64 training examples / batch 8 x 2 epochs. */
    private static final long TOTAL = 16;

    private static final int CHECKPOINT_EVERY = 2;

    /**
     * The first step logged after the first checkpoint (step 2 is one too, but a later one leaves
     * more to check).
     */
    private static final long KILL_FROM = 5;

    /**
     * How long the child may take to reach {@link #KILL_FROM}. Generous: on a shared 2-core machine
     * a step has been seen to take 8 s, and the JVM, the engine and the model load first.
     */
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(8);

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"djl", "tensorflow"})
    void aRunKilledWithSigkillResumesToTheUninterruptedResult(String backend) throws Exception {
        // The slowest test of the module (one to two minutes per backend on 2 cores):
        // honour the parent POM's -Drankwise.test.backends=djl narrowing for local runs.
        String only = System.getProperty("rankwise.test.backends", "");
        assumeTrue(
                only.isBlank()
                        || Arrays.stream(only.split(","))
                                .map(String::trim)
                                .toList()
                                .contains(backend),
                "rankwise.test.backends=" + only + " leaves out " + backend);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, config(backend), StandardCharsets.UTF_8);
        Path killed = dir.resolve("killed");
        Path childLog = dir.resolve("child.log");

        runAndKillPastTheFirstCheckpoint(config, killed, childLog);

        // What the kill left: a run that logged steps 1..logged and checkpointed step
        // `checkpointed`,
        // and nothing of what a finished run writes.
        Path metrics = killed.resolve(MetricsLog.FILE_NAME);
        MetricsLog atKill = MetricsLog.read(metrics);
        long logged = atKill.steps().get(atKill.steps().size() - 1).step();
        long checkpointed = Checkpoint.step(killed);
        String state =
                "logged up to step "
                        + logged
                        + ", checkpoint of step "
                        + checkpointed
                        + "; child output:\n"
                        + tail(childLog);
        assertEquals(
                range(1, logged),
                steps(atKill),
                "the killed run logged every step up to the kill; " + state);
        assertTrue(
                logged < TOTAL && atKill.evals().isEmpty(),
                "the child was killed before it finished; " + state);
        for (String finished : List.of("rank_pattern.json", "adapter", "report.md", "plots")) {
            assertFalse(
                    Files.exists(killed.resolve(finished)),
                    finished + " is written only by a finished run; " + state);
        }
        assertEquals(
                0,
                checkpointed % CHECKPOINT_EVERY,
                "checkpoints fall every " + CHECKPOINT_EVERY + " steps; " + state);
        // The checkpoint of step t is written after step t is logged, so the log is at most one
        // checkpoint interval ahead of it (and the checkpoint never ahead of the log).
        assertTrue(
                checkpointed >= KILL_FROM - 1
                        && checkpointed <= logged
                        && logged <= checkpointed + CHECKPOINT_EVERY,
                "the checkpoint and the log agree; " + state);

        // A kill rarely lands inside the milliseconds of a write, so plant what one would leave,
        // which resume must cope with every time: a half-written checkpoint temporary (resume
        // reads only state.bin, and the next save overwrites the temporary) and a half-written
        // last metrics line (resume cuts it before appending).
        Path temp = Checkpoint.file(killed).resolveSibling("state.bin.tmp");
        boolean tempLeft = Files.exists(temp);
        if (!tempLeft) {
            byte[] complete = Files.readAllBytes(Checkpoint.file(killed));
            Files.write(temp, Arrays.copyOf(complete, complete.length / 2));
        }
        byte[] logBytes = Files.readAllBytes(metrics);
        boolean partialLineLeft = logBytes.length > 0 && logBytes[logBytes.length - 1] != '\n';
        if (!partialLineLeft) {
            Files.writeString(
                    metrics,
                    "{\"step\":" + (logged + 1) + ",\"loss\":2.7",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        }
        // Where the kill landed varies from run to run; say so in the test output.
        System.out.printf(
                "KillResumeTest[%s]: killed after logging step %d with the checkpoint of step %d on disk;"
                        + " left by the kill: state.bin.tmp %s, half-written metrics line %s%n",
                backend,
                logged,
                checkpointed,
                tempLeft ? "yes" : "no (planted)",
                partialLineLeft ? "yes" : "no (planted)");

        assertEquals(
                0,
                Main.commandLine()
                        .execute(
                                "train",
                                "--config",
                                config.toString(),
                                "--run-dir",
                                killed.toString(),
                                "--resume"),
                backend + ": resume after the kill; " + state);
        Path whole = dir.resolve("whole");
        assertEquals(
                0,
                Main.commandLine()
                        .execute(
                                "train",
                                "--config",
                                config.toString(),
                                "--run-dir",
                                whole.toString()),
                backend + ": the uninterrupted run");

        MetricsLog resumed = MetricsLog.read(metrics);
        MetricsLog reference = MetricsLog.read(whole.resolve(MetricsLog.FILE_NAME));
        assertEquals(
                0,
                resumed.skippedLines(),
                "resume cut the half-written line, so every line of metrics.jsonl parses");
        assertEquals(range(1, TOTAL), steps(reference));
        // Resume drops what the killed run logged after its checkpoint (those steps run again), so
        // every step appears once, and the clock continues from the stopped run's.
        assertEquals(
                range(1, TOTAL),
                steps(resumed),
                backend + ": the steps of the resumed log; " + state);
        for (int i = 1; i < resumed.steps().size(); i++) {
            assertTrue(
                    resumed.steps().get(i).seconds() >= resumed.steps().get(i - 1).seconds(),
                    backend
                            + ": seconds never go back, at step "
                            + resumed.steps().get(i).step()
                            + "; "
                            + resumed.steps());
        }

        Map<Long, StepEntry> uninterrupted =
                reference.steps().stream()
                        .collect(Collectors.toMap(StepEntry::step, Function.identity()));
        for (StepEntry s : resumed.steps()) {
            StepEntry r = uninterrupted.get(s.step());
            // Exact: before the kill the child computed what the uninterrupted run computes, and
            // after it the checkpoint restored every value bit for bit.
            assertEquals(r.loss(), s.loss(), 0.0, backend + ": loss at step " + s.step());
            assertEquals(r.lr(), s.lr(), 0.0, backend + ": lr at step " + s.step());
            assertEquals(r.budget(), s.budget(), backend + ": budget at step " + s.step());
        }
        assertEquals(
                reference.steps().get((int) TOTAL - 1).loss(),
                resumed.steps().get(resumed.steps().size() - 1).loss(),
                0.0,
                backend + ": final loss");
        assertEquals(1, resumed.evals().size(), "one evaluation, at the end: " + resumed.evals());
        assertEquals(reference.evals(), resumed.evals(), backend + ": dev metrics");

        assertEquals(
                Files.readString(whole.resolve("rank_pattern.json")),
                Files.readString(killed.resolve("rank_pattern.json")),
                backend + ": rank pattern");
        assertArrayEquals(
                Files.readAllBytes(whole.resolve("adapter").resolve("adapter_model.safetensors")),
                Files.readAllBytes(killed.resolve("adapter").resolve("adapter_model.safetensors")),
                backend + ": exported adapter");
        assertArrayEquals(
                withoutTrainingTime(Files.readAllBytes(Checkpoint.file(whole))),
                withoutTrainingTime(Files.readAllBytes(Checkpoint.file(killed))),
                backend
                        + ": the final checkpoint (parameters, optimizer and metric state, allocator)");
        double seconds = Checkpoint.read(killed).trainingSeconds();
        assertTrue(seconds > 0 && Double.isFinite(seconds), "the run's training time: " + seconds);
        assertFalse(Files.exists(temp), "the resumed run's saves replaced the stale temporary");
    }

    /**
     * Starts {@code rankwise train} in a child JVM and kills it (SIGKILL) once it has logged step
     * {@link #KILL_FROM} with a checkpoint on disk. Watches the run folder rather than sleeping, so
     * that a slow machine only makes the test slower; the child's output goes to a file (a pipe
     * nobody reads could fill up and stall it) that failure messages quote.
     */
    private static void runAndKillPastTheFirstCheckpoint(Path config, Path runDir, Path childLog)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                List.of(
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
                        runDir.toString());
        Process child =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(childLog.toFile())
                        .start();
        long deadline = System.nanoTime() + CHILD_DEADLINE.toNanos();
        try {
            while (lastLoggedStep(runDir) < KILL_FROM || !Files.exists(Checkpoint.file(runDir))) {
                if (!child.isAlive()) {
                    fail(
                            "the child exited ("
                                    + child.exitValue()
                                    + ") before logging step "
                                    + KILL_FROM
                                    + "; its output:\n"
                                    + tail(childLog));
                }
                if (System.nanoTime() > deadline) {
                    fail(
                            "the child did not log step "
                                    + KILL_FROM
                                    + " within "
                                    + CHILD_DEADLINE
                                    + " (last logged: "
                                    + lastLoggedStep(runDir)
                                    + "); its output:\n"
                                    + tail(childLog));
                }
                Thread.sleep(50);
            }
        } finally {
            // SIGKILL on Linux (Process.destroy would be SIGTERM, which runs shutdown hooks); also
            // here when the test fails, so that no child outlives it.
            child.destroyForcibly();
            if (!child.waitFor(2, TimeUnit.MINUTES)) {
                fail("the child did not die within 2 minutes of SIGKILL");
            }
        }
        assertEquals(
                128 + 9,
                child.exitValue(),
                "the child died of SIGKILL, not of its own accord; its output:\n" + tail(childLog));
    }

    /**
     * The last step in {@code metrics.jsonl} so far (0 before the first); a line being written is
     * skipped.
     */
    private static long lastLoggedStep(Path runDir) throws IOException {
        Path metrics = runDir.resolve(MetricsLog.FILE_NAME);
        if (!Files.exists(metrics)) {
            return 0;
        }
        List<StepEntry> steps = MetricsLog.read(metrics).steps();
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).step();
    }

    /**
     * A checkpoint's bytes with the wall time its steps took (S, bytes [56, 64) of format 3) and
     * the CRC32C that covers it zeroed: the only bytes in which two runs to the same numbers
     * differ.
     */
    private static byte[] withoutTrainingTime(byte[] checkpoint) {
        byte[] out = checkpoint.clone();
        Arrays.fill(out, 56, 64, (byte) 0);
        Arrays.fill(out, out.length - 4, out.length, (byte) 0);
        return out;
    }

    /**
     * A small run like {@link ResumeTest}'s, but 16 steps long so that there is time to kill it
     * mid-run.
     */
    private static String config(String backend) {
        return """
                run:
                  seed: 11
                  log_every: 1
                  eval_every: 0
                  checkpoint_every: %d
                backend:
                  name: %s
                  device: cpu
                model:
                  source: embedded:all-minilm-l6-v2
                  max_length: 24
                  pooling: mean
                  dropout: 0.1
                adapter:
                  kind: adalora
                  init_r: 3
                  lora_alpha: 6
                  lora_dropout: 0.1
                  target_modules: [query, value]
                allocator:
                  name: adalora
                  options:
                    target_r: 2
                    tinit: 2
                    tfinal: 4
                    delta_t: 2
                    orth_reg_weight: 0.1
                optimizer:
                  name: ivon
                  options:
                    lr: 0.05
                    ess: auto
                    hess_init: 0.5
                    seed: 5
                metric:
                  name: snr
                task:
                  name: spam-assassin
                  max_train: 64
                  max_eval: 16
                training:
                  epochs: 2
                  batch_size: 8
                  lr_schedule:
                    kind: linear
                    warmup_steps: 2
                  test_samples: 0
                """
                .formatted(CHECKPOINT_EVERY, backend);
    }

    private static List<Long> steps(MetricsLog log) {
        return log.steps().stream().map(StepEntry::step).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** The last lines of the child's output, for failure messages. */
    private static String tail(Path file) {
        try {
            // Decoded leniently: native libraries may print bytes that are not UTF-8.
            List<String> lines =
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}
