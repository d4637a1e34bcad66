package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankPatternAgreementTest {

    private static Map<String, boolean[]> pattern(boolean[] q, boolean[] v) {
        Map<String, boolean[]> p = new LinkedHashMap<>();
        p.put("layer.0.query.lora_E", q);
        p.put("layer.0.value.lora_E", v);
        return p;
    }

    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void jaccardCountsKeptPairsAcrossModules() {
        // A keeps q0 q1 v0, B keeps q1 v0 v1: both {q1, v0} = 2, either {q0, q1, v0, v1} = 4.
        Map<String, boolean[]> a = pattern(new boolean[] {T, T, F}, new boolean[] {T, F, F});
        Map<String, boolean[]> b = pattern(new boolean[] {F, T, F}, new boolean[] {T, T, F});
        assertEquals(0.5, RankPatternAgreement.jaccard(a, b), 0);
        assertEquals(1.0, RankPatternAgreement.jaccard(a, a), 0);
        assertEquals(
                0.0,
                RankPatternAgreement.jaccard(
                        a, pattern(new boolean[] {F, F, T}, new boolean[] {F, F, T})),
                0);
        assertEquals(1.0, RankPatternAgreement.jaccard(Map.of(), Map.of()), 0);
        assertEquals(3, RankPatternAgreement.kept(a));
        assertEquals(6, RankPatternAgreement.slots(a));
        // 144 of 216, as the default ablation keeps: E|A ∩ B| = 96, J = 96 / 192.
        assertEquals(0.5, RankPatternAgreement.chance(144, 144, 216), 1e-15);
    }

    @Test
    void meansOverSharedSeedsOnly() {
        Map<String, boolean[]> a = pattern(new boolean[] {T, T, F}, new boolean[] {T, F, F});
        Map<String, boolean[]> b = pattern(new boolean[] {F, T, F}, new boolean[] {T, T, F});
        RankPatternAgreement agreement =
                RankPatternAgreement.of(
                        List.of(
                                new RankPatternAgreement.Cell("djl", "spam", 1, "ivon+snr", a),
                                new RankPatternAgreement.Cell("djl", "spam", 1, "ivon+variance", b),
                                new RankPatternAgreement.Cell("djl", "spam", 2, "ivon+snr", a),
                                new RankPatternAgreement.Cell("djl", "spam", 2, "ivon+variance", a),
                                new RankPatternAgreement.Cell("djl", "spam", 3, "ivon+snr", b),
                                new RankPatternAgreement.Cell(
                                        "tensorflow", "spam", 1, "ivon+variance", a)));
        // seed 1: 0.5, seed 2: 1.0; seed 3 has no variance cell, tensorflow is another group.
        assertEquals(0.75, agreement.mean("djl", "spam", "ivon+snr", "ivon+variance"), 1e-15);
        assertTrue(Double.isNaN(agreement.mean("tensorflow", "spam", "ivon+snr", "ivon+variance")));
        String md = agreement.toMarkdown();
        assertTrue(md.contains("## Which triplets survive: djl, spam"), md);
        assertTrue(md.contains("mean over 3 seeds"), md);
        // snr kept 3, 3, 3 triplets; its row against itself is 1 and against variance 0.75.
        assertTrue(md.contains("| ivon+snr | 3 | 1.00 | 0.75 |"), md);
        assertTrue(md.contains("| ivon+variance | 3 | 0.75 | 1.00 |"), md);
        // 3 of 6 slots: E|A ∩ B| = 1.5, J = 1.5 / 4.5.
        assertTrue(
                md.contains(
                        "For scale: two random choices of 3 of the 6 triplets agree at J ≈ 0.33."),
                md);
        // A group with one configuration has nothing to compare.
        assertTrue(!md.contains("tensorflow"), md);
    }

    @Test
    void loraConfigurationsHaveNoPatternAndShowNotApplicable() {
        Map<String, boolean[]> a = pattern(new boolean[] {T, T, F}, new boolean[] {T, F, F});
        RankPatternAgreement agreement =
                RankPatternAgreement.of(
                        List.of(
                                new RankPatternAgreement.Cell("djl", "spam", 1, "ivon+snr", a),
                                new RankPatternAgreement.Cell(
                                        "djl", "spam", 1, "lora-adam", Map.of(), false)));
        assertTrue(Double.isNaN(agreement.mean("djl", "spam", "lora-adam", "lora-adam")));
        assertTrue(Double.isNaN(agreement.mean("djl", "spam", "ivon+snr", "lora-adam")));
        String md = agreement.toMarkdown();
        assertTrue(md.contains("| configuration | kept | ivon+snr | lora-adam |"), md);
        assertTrue(md.contains("| ivon+snr | 3 | 1.00 | n/a |"), md);
        assertTrue(md.contains("| lora-adam | n/a | n/a | n/a |"), md);
        assertTrue(
                md.contains(
                        "n/a: lora-adam trains plain LoRA at a fixed rank, with no rank pattern to"
                                + " compare."),
                md);
        // The scale comes from the allocated cells only: 3 of 6 triplets.
        assertTrue(md.contains("two random choices of 3 of the 6 triplets"), md);
        // Only LoRA cells: nothing to compare.
        assertEquals(
                "",
                RankPatternAgreement.of(
                                List.of(
                                        new RankPatternAgreement.Cell(
                                                "djl", "spam", 1, "lora-adam", Map.of(), false),
                                        new RankPatternAgreement.Cell(
                                                "djl", "spam", 1, "lora-ivon", Map.of(), false)))
                        .toMarkdown());
    }
}
