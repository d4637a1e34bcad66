package io.rankwise.allocators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaLoraConfigTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tinit|60|tinit + tfinal is 60 + 40 = 100; it must be < total_step (100) to leave steps for budgeting",
                "delta_t|0|adalora: option 'delta_t' is 0; accepted: an integer >= 1",
                "target_r|0|adalora: option 'target_r' is 0; accepted: an integer >= 1",
                "target_r|7|target_r is 7; it must be in [1, init_r = 6]",
                "orth_reg_weight|-0.1|adalora: option 'orth_reg_weight' is -0.1; accepted: a number >= 0",
                "orth_reg_weight|inf|adalora: option 'orth_reg_weight' is inf; accepted: a number >= 0",
            })
    void invalidSettingsAreRefusedNamingTheKey(String key, String value, String message) {
        Map<String, String> options =
                new HashMap<>(
                        Map.of("target_r", "4", "tinit", "10", "tfinal", "40", "delta_t", "5"));
        options.put(key, value);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AdaLoraAllocatorProvider.config(options, 6, 100));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theRunFixesLengthAndRankAndUnknownKeysAreRefused() {
        assertEquals(
                "total_step is 0; it must be > 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> AdaLoraAllocatorProvider.config(Map.of(), 6, 0))
                        .getMessage());
        // PEFT's spelling is not an option here: the schedule keys are the configuration's.
        assertEquals(
                "adalora: unknown option 'deltaT'; known options: target_r, tinit, tfinal, delta_t, orth_reg_weight",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        AdaLoraAllocatorProvider.config(
                                                Map.of("deltaT", "2"), 6, 100))
                        .getMessage());
        AdaLoraConfig defaults = AdaLoraAllocatorProvider.config(Map.of(), 6, 100);
        assertEquals(new AdaLoraConfig(6, 4, 10, 20, 5, 100, 0.1), defaults);
    }

    @Test
    void cubicScheduleByHand() {
        // b0 = 12 (3 adapters of rank 4), bT = 6, t_i = 4, T - t_f = 22: b(t) = floor(6 (1 -
        // (t-4)/18)^3 + 6)
        BudgetSchedule s = new BudgetSchedule(new AdaLoraConfig(4, 2, 4, 8, 3, 30, 0), 3);
        int[] expected = {12, 12, 12, 12, 11, 10, 9, 8, 8, 7, 7, 7, 6};
        for (int t = 1; t <= expected.length; t++) {
            assertEquals(expected[t - 1], s.budget(t), "b(" + t + ")");
        }
        assertEquals(6, s.budget(22));
        assertEquals(6, s.budget(30));
        assertFalse(s.masksAt(3), "warm-up");
        assertFalse(s.masksAt(5), "5 mod 3 != 0");
        assertTrue(s.masksAt(6));
        assertTrue(s.masksAt(22), "forced final mask although 22 mod 3 != 0");
        assertFalse(s.masksAt(24), "pattern frozen after T - t_f");
        assertEquals(
                "AdaLoRA plan over 30 steps: warm-up steps 1-4 (4, budget 12); budgeting steps 5-22 (18, budget 12 -> 6,"
                        + " mask every 3 steps); final steps 23-30 (8, budget 6, rank pattern frozen)",
                s.plan());
    }
}
