package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.training.checkpoint.Checkpoint;
import io.rankwise.training.peft.PeftNames;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.wiring.RunAssembly;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time per step of a run is the mean over all its T steps, also when it was resumed: the
 * checkpoint carries the seconds the steps before it took. The run's clock is set by the test (each
 * reported step advances it by a fixed number of seconds), so the expected means are exact
 * fractions: SmallRun has T = 8 steps, a log line every step and checkpoints after steps 3, 6 and
 * 8. The same runs check that the exported adapter_config.json carries the adapter dropout the run
 * trained with (0.05), not the model's dropout (0.1).
 */
class WholeRunTimingTest {
    private static final Plugins PLUGINS = Plugins.discover();
    private static final RunSpec SPEC = SmallRun.spec("djl");
    private static Task task;

    @TempDir Path dir;

    @BeforeAll
    static void data() throws Exception {
        task = SpamAssassin.builder().maxTrain(64).maxEval(16).seed(3).build().load();
    }

    /**
     * Runs SmallRun in {@code runDir} on a clock that each reported step advances by {@code
     * secondsPerStep}; {@code more} listen after the clock.
     */
    private static RunResult run(
            Path runDir, boolean resume, long secondsPerStep, RunListener... more)
            throws Exception {
        AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
        List<RunListener> listeners = new ArrayList<>();
        listeners.add(
                new RunListener() {
                    @Override
                    public void step(
                            long step, double loss, double lr, int budget, double seconds) {
                        nanos.addAndGet(secondsPerStep * 1_000_000_000L);
                    }
                });
        listeners.addAll(List.of(more));
        return new FineTuning(
                        RunAssembly.assemble(PLUGINS, SPEC), task, runDir, listeners, nanos::get)
                .run(resume);
    }

    private static RunListener killAt(long at) {
        return new RunListener() {
            @Override
            public void step(long step, double loss, double lr, int budget, double seconds) {
                if (step == at) {
                    throw new IllegalStateException("killed at step " + step);
                }
            }
        };
    }

    @Test
    void aResumedRunReportsTheMeanOverTheWholeRun() throws Exception {
        Path folder = dir.resolve("run");
        // Steps 1..5 take 1 s each; the kill at step 5 leaves the checkpoint of step 3.
        assertThrows(IllegalStateException.class, () -> run(folder, false, 1, killAt(5)));
        assertEquals(3, Checkpoint.read(folder).step());
        assertEquals(3.0, Checkpoint.read(folder).trainingSeconds());

        // Steps 4..8 take 10 s each: (3 · 1 + 5 · 10) / 8, where the steps since the resume alone
        // would say 50 / 5 = 10.
        RunResult resumed = run(folder, true, 10);
        assertEquals(53.0 / 8, resumed.secondsPerStep());
        assertEquals(53.0, Checkpoint.read(folder).trainingSeconds());

        // A finished run resumed trains no step (and printed 0.00 s/step): its mean is kept.
        RunResult again = run(folder, true, 100);
        assertEquals(8, again.steps());
        assertEquals(53.0 / 8, again.secondsPerStep());
        assertEquals(53.0, Checkpoint.read(folder).trainingSeconds());

        JsonNode exported =
                new ObjectMapper()
                        .readTree(
                                folder.resolve(RunArtifacts.ADAPTER_FOLDER)
                                        .resolve(PeftNames.CONFIG_FILE)
                                        .toFile());
        assertEquals(0.05, exported.get("lora_dropout").doubleValue(), "adapter.lora_dropout");
        assertEquals(0.1, SPEC.model().dropout(), "the model's dropout is another number");
    }

    @Test
    void anUninterruptedRunReportsItsMean() throws Exception {
        RunResult whole = run(dir.resolve("whole"), false, 2);
        assertEquals(2.0, whole.secondsPerStep());
        assertEquals(16.0, Checkpoint.read(dir.resolve("whole")).trainingSeconds());
    }
}
