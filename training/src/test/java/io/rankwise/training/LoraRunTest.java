package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.training.checkpoint.Checkpoint;
import io.rankwise.training.model.LoraWeights;
import io.rankwise.training.peft.PeftNames;
import io.rankwise.training.spec.LrSchedule;
import io.rankwise.training.spec.RunSpec;
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
 * Plain LoRA runs end to end on both backends: MiniLM with rank-3 B A adapters on query and value
 * learns the SpamAssassin demo task in a few steps (Adam), leaves a PEFT LoRA folder and a
 * checkpoint of only its own variables (no metric state, an empty rank mask), and a run killed
 * after a checkpoint resumes to exactly the numbers of an uninterrupted one (IVON, whose weight
 * noise must line up too).
 */
class LoraRunTest {
    private static final Plugins PLUGINS = Plugins.discover();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Task task;

    @TempDir Path dir;

    @BeforeAll
    static void data() throws Exception {
        task = SpamAssassin.builder().maxTrain(64).maxEval(16).seed(3).build().load();
    }

    /** Adam at 1e-2 for 16 steps (two epochs of the 64 mails), evaluating at the end only. */
    private static RunSpec adamRun(String backend) {
        RunSpec s = SmallRun.lora(backend, new RunSpec.Plugin("adam", Map.of("lr", 1e-2)));
        RunSpec.Training t = s.training();
        return new RunSpec(
                s.backend(),
                s.model(),
                s.adapter(),
                s.allocator(),
                s.optimizer(),
                s.metric(),
                s.task(),
                new RunSpec.Training(
                        2, 0, t.batchSize(), 1, new LrSchedule.Linear(2), 0, 1, 0, 0, t.seed()));
    }

    /** Records every logged step's loss and budget. */
    private static final class Steps implements RunListener {
        final List<Double> losses = new ArrayList<>();
        final List<Integer> budgets = new ArrayList<>();
        String plan;

        @Override
        public void started(long totalSteps, String plan) {
            this.plan = plan;
        }

        @Override
        public void step(long step, double loss, double lr, int budget, double seconds) {
            losses.add(loss);
            budgets.add(budget);
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"djl", "tensorflow"})
    void aLoraRunLearnsTheDemoTaskAndLeavesAPeftLoraFolder(String backend) throws Exception {
        Steps steps = new Steps();
        Path runDir = dir.resolve("run");
        RunResult result =
                Rankwise.fineTune(PLUGINS, adamRun(backend), task, runDir, false, List.of(steps));

        assertEquals(16, result.steps());
        assertTrue(steps.losses.stream().allMatch(Double::isFinite), steps.losses.toString());
        double first = mean(steps.losses.subList(0, 4));
        double last = mean(steps.losses.subList(12, 16));
        assertTrue(
                last < 0.75 * first,
                backend + ": the loss falls, first 4 steps " + first + ", last 4 " + last);
        // Fixed rank: the budget is the total rank, 3 x 12 matrices (query, value in 6 layers).
        assertEquals(List.of(36), steps.budgets.stream().distinct().toList(), "constant budget");
        assertTrue(steps.plan.startsWith("LoRA: fixed rank r = 3 on 12 matrices"), steps.plan);

        assertTrue(result.fixedRank());
        assertTrue(result.rankPattern().isEmpty(), "no rank pattern");
        assertTrue(result.adapters().isEmpty(), "no AdaLoRA adapters");
        assertEquals(12, result.loraAdapters().size());
        for (LoraWeights w : result.loraAdapters()) {
            assertEquals(3, w.rank());
            assertTrue(
                    java.util.Arrays.stream(w.b()).anyMatch(v -> v != 0),
                    w.module() + ": B moved away from its zero start");
        }

        // The run folder: a LoRA PEFT folder, no rank pattern file.
        assertFalse(Files.exists(runDir.resolve(RunArtifacts.RANK_PATTERN_FILE)));
        JsonNode config =
                JSON.readTree(
                        runDir.resolve(RunArtifacts.ADAPTER_FOLDER)
                                .resolve(PeftNames.CONFIG_FILE)
                                .toFile());
        assertEquals("LORA", config.get("peft_type").textValue());
        assertEquals(3, config.get("r").intValue());

        // The checkpoint: LoRA's A and B, the head and Adam's moments; no metric state and an
        // empty rank mask.
        Checkpoint.Contents saved = Checkpoint.read(runDir);
        assertEquals(16, saved.step());
        assertEquals(0, saved.allocator().keep().length);
        assertEquals(null, saved.allocator().finalKeep());
        assertEquals(null, saved.allocator().lastScores());
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (int layer = 0; layer < 6; layer++) {
            for (String m : List.of("query", "value")) {
                for (String part : List.of("lora_A", "lora_B")) {
                    expected.add("encoder.layer." + layer + ".attention.self." + m + "." + part);
                }
            }
        }
        expected.addAll(List.of("classifier.weight", "classifier.bias"));
        for (String p : List.copyOf(expected)) {
            expected.add(p + "/adam.m");
            expected.add(p + "/adam.v");
        }
        assertEquals(expected, new java.util.TreeSet<>(saved.values().keySet()));
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
    void aKilledIvonLoraRunResumesToTheSameResult(String backend) throws Exception {
        RunSpec spec = SmallRun.lora(backend, SmallRun.ivon());
        RunResult whole =
                Rankwise.fineTune(PLUGINS, spec, task, dir.resolve("whole"), false, List.of());
        assertEquals(8, whole.steps());

        Path interrupted = dir.resolve("interrupted");
        IllegalStateException killed =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Rankwise.fineTune(
                                        PLUGINS,
                                        spec,
                                        task,
                                        interrupted,
                                        false,
                                        List.of(killAt(5))));
        assertEquals("killed at step 5", killed.getMessage());
        assertEquals(3, Checkpoint.read(interrupted).step(), "the checkpoint of step 3");
        RunResult resumed = Rankwise.fineTune(PLUGINS, spec, task, interrupted, true, List.of());

        assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0, backend + ": final loss");
        assertEquals(
                whole.evaluation().values(),
                resumed.evaluation().values(),
                backend + ": dev metrics");
        assertEquals(whole.loraAdapters().size(), resumed.loraAdapters().size());
        for (int i = 0; i < whole.loraAdapters().size(); i++) {
            LoraWeights a = whole.loraAdapters().get(i);
            LoraWeights b = resumed.loraAdapters().get(i);
            assertArrayEquals(a.a(), b.a(), 0.0, backend + ": A of " + a.module());
            assertArrayEquals(a.b(), b.b(), 0.0, backend + ": B of " + a.module());
        }
        assertArrayEquals(
                whole.head().tensors().get(0).values(),
                resumed.head().tensors().get(0).values(),
                0.0,
                backend + ": head");
    }
}
