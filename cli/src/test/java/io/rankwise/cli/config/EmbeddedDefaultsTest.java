package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.AdaLoraAllocatorProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default configurations load, validate and have the shape the README promises. */
class EmbeddedDefaultsTest {

    @Test
    void defaultTrainIsAQuickMiniLmRunOnSpamAssassin() {
        RankwiseConfig c = ConfigLoader.defaultTrain(List.of());
        assertTrue(c.model().embedded());
        assertEquals(64, c.model().maxLength());
        assertEquals("spam-assassin", c.task().name());
        assertEquals(1024, c.task().maxTrain());
        assertEquals(256, c.task().maxEval());
        assertEquals(64, c.training().totalSteps(c.task().maxTrain()));
        assertEquals("ivon", c.optimizer().name());
        assertEquals("auto", c.optimizer().options().get("ess"));
        assertEquals("snr", c.metric().name());
        assertBudgetFits(c);
    }

    @Test
    void defaultAblateIsThePapersFiveConfigurations() {
        RankwiseConfig c = ConfigLoader.defaultAblate(List.of());
        List<AblationCell> cells = c.ablationCells();
        // The five configurations, each with seeds 42 and 43.
        assertEquals(
                List.of(
                        "adam+sensitivity",
                        "ivon+sensitivity",
                        "ivon+snr",
                        "ivon+magnitude",
                        "ivon+variance"),
                cells.stream().map(cell -> cell.pair().label()).distinct().toList());
        assertEquals(10, cells.size());
        assertEquals(
                List.of(42L, 43L),
                cells.stream().map(AblationCell::seed).distinct().sorted().toList());
        // Adam's options stand alone: the ivon section's are not laid under them.
        assertEquals(
                Map.of("lr", 0.004, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0),
                cells.get(0).config().optimizer().options());
        for (AblationCell cell : cells) {
            if (cell.pair().optimizer().equals("ivon")) {
                assertEquals("auto", cell.config().optimizer().options().get("ess"));
            }
        }
        assertTrue(
                cells.stream()
                        .allMatch(
                                cell ->
                                        cell.backend().isEmpty()
                                                && cell.task().equals("spam-assassin")));
        // Each cell must stay near a minute on 2 cores (10 cells within 15 minutes): 64 steps of 16
        // x 64 tokens.
        assertEquals(64, c.training().totalSteps(c.task().maxTrain()));
        assertEquals(64, c.model().maxLength());
        assertBudgetFits(c);
    }

    @Test
    void theBackendsOptionOfAblateIsAnOverride() {
        RankwiseConfig c = ConfigLoader.defaultAblate(List.of("ablation.backends=djl,tensorflow"));
        assertEquals(20, c.ablationCells().size());
    }

    @Test
    void theRawTextsKeepTheirComments() {
        assertTrue(
                ConfigLoader.defaultYaml(ConfigLoader.DEFAULT_TRAIN)
                        .startsWith("# rankwise train"));
        assertTrue(
                ConfigLoader.defaultYaml(ConfigLoader.DEFAULT_ABLATE)
                        .startsWith("# rankwise ablate"));
    }

    /** The allocator's phases fit the run (docs/algorithms.md §2: t_i + t_f < T). */
    private static void assertBudgetFits(RankwiseConfig c) {
        long steps = c.training().totalSteps(c.task().maxTrain());
        Map<String, Object> schedule = c.allocator().options();
        assertEquals("adalora", c.allocator().name());
        assertTrue(
                AdaLoraAllocatorProvider.TINIT.in(schedule)
                                + AdaLoraAllocatorProvider.TFINAL.in(schedule)
                        < steps);
        assertTrue(AdaLoraAllocatorProvider.TARGET_R.in(schedule) <= c.adapter().initR());
    }
}
