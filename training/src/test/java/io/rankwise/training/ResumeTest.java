package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.training.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run killed after a checkpoint and resumed reaches exactly the numbers of an uninterrupted run
 * on the same backend: the final loss, the dev metrics and the rank pattern.
 */
class ResumeTest {
    private static Task task;

    @TempDir Path dir;

    @BeforeAll
    static void data() throws Exception {
        task = SpamAssassin.builder().maxTrain(64).maxEval(16).seed(3).build().load();
    }

    private static final Plugins PLUGINS = Plugins.discover();

    private static RunResult run(
            String backend, Path runDir, boolean resume, List<RunListener> listeners)
            throws Exception {
        return Rankwise.fineTune(PLUGINS, SmallRun.spec(backend), task, runDir, resume, listeners);
    }

    /** Stops the run, as a kill would, when it reports step {@code at}. */
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

    @ParameterizedTest
    @ValueSource(strings = {"djl", "tensorflow"})
    void aKilledRunResumesToTheSameResult(String backend) throws Exception {
        List<Double> losses = new ArrayList<>();
        RunListener record =
                new RunListener() {
                    @Override
                    public void step(
                            long step, double loss, double lr, int budget, double seconds) {
                        losses.add(loss);
                    }
                };
        RunResult whole = run(backend, dir.resolve("whole"), false, List.of(record));
        assertEquals(8, whole.steps());

        Path interrupted = dir.resolve("interrupted");
        IllegalStateException killed =
                assertThrows(
                        IllegalStateException.class,
                        () -> run(backend, interrupted, false, List.of(killAt(5))));
        assertEquals("killed at step 5", killed.getMessage());
        assertTrue(
                Files.exists(Checkpoint.file(interrupted)), "the checkpoint of step 3 is on disk");
        RunResult resumed = run(backend, interrupted, true, List.of());

        assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0, backend + ": final loss");
        assertEquals(
                whole.evaluation().values(),
                resumed.evaluation().values(),
                backend + ": dev metrics");
        for (var e : whole.rankPattern().entrySet()) {
            assertArrayEquals(
                    e.getValue(),
                    resumed.rankPattern().get(e.getKey()),
                    backend + ": pattern of " + e.getKey());
        }
        assertTrue(losses.stream().allMatch(Double::isFinite));
    }
}
