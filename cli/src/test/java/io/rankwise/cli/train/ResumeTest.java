package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.cli.config.ModelConfig;
import io.rankwise.models.bert.Pooling;
import io.rankwise.models.bert.TargetModules;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @TempDir
    Path dir;

    @BeforeAll
    static void data() throws Exception {
        task = SpamAssassin.builder().maxTrain(64).maxEval(16).seed(3).build().load();
    }

    private static RunSettings settings(String backend, Path runDir) {
        return new RunSettings(backend, Device.cpu(), ModelConfig.EMBEDDED_MINILM, 24, Pooling.MEAN, 0.1, DType.FLOAT32, 3, 6,
                new TargetModules(List.of("query", "value")), 2, 2, 2, 2, 0.1, "ivon",
                Map.of("lr", "0.05", "ess", "auto", "hess_init", "0.5", "seed", "5"), "snr", Map.of(), 1, 0, 8, 1,
                (lr, total) -> LearningRateSchedule.linear(lr, 2, total), 1, 0, 3, 0, 11, runDir);
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
        RunListener record = new RunListener() {
            @Override
            public void step(long step, double loss, double lr, int budget, double seconds) {
                losses.add(loss);
            }
        };
        RunResult whole = new FineTuning(settings(backend, dir.resolve("whole")), task, List.of(record)).run(false);
        assertEquals(8, whole.steps());

        Path interrupted = dir.resolve("interrupted");
        IllegalStateException killed = assertThrows(IllegalStateException.class,
                () -> new FineTuning(settings(backend, interrupted), task, List.of(killAt(5))).run(false));
        assertEquals("killed at step 5", killed.getMessage());
        assertTrue(Files.exists(Checkpoint.file(interrupted)), "the checkpoint of step 3 is on disk");
        RunResult resumed = new FineTuning(settings(backend, interrupted), task, List.of()).run(true);

        assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0, backend + ": final loss");
        assertEquals(whole.evaluation().values(), resumed.evaluation().values(), backend + ": dev metrics");
        for (var e : whole.rankPattern().entrySet()) {
            assertArrayEquals(e.getValue(), resumed.rankPattern().get(e.getKey()), backend + ": pattern of " + e.getKey());
        }
        assertTrue(losses.stream().allMatch(Double::isFinite));
    }
}
