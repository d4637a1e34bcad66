package io.rankwise.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CorrelationTest {
    @Test
    void pearsonByHand() {
        // x = 1 2 3 4 (mean 2.5), y = 2 4 5 9 (mean 5); dx = −1.5 −.5 .5 1.5, dy = −3 −1 0 4.
        // Σ dx·dy = 4.5 + .5 + 0 + 6 = 11; Σ dx² = 5; Σ dy² = 26; r = 11 / sqrt(130).
        double r = Correlation.pearson(new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9});
        assertEquals(11 / Math.sqrt(130), r, 1e-15);
    }

    @Test
    void pearsonOfConstantInputIsNaN() {
        assertEquals(
                Double.NaN, Correlation.pearson(new double[] {3, 3, 3}, new double[] {1, 2, 3}));
        assertEquals(
                Double.NaN, Correlation.spearman(new double[] {1, 2, 3}, new double[] {0, 0, 0}));
    }

    @Test
    void averageRanksForTies() {
        // 10 → 2; the two 20s share ranks 3 and 4 → 3.5; 5 → 1.
        assertArrayEquals(
                new double[] {2, 3.5, 1, 3.5},
                Correlation.averageRanks(new double[] {10, 20, 5, 20}));
    }

    @Test
    void spearmanWithTies() {
        // x = 1 2 2 3 → ranks 1 2.5 2.5 4; y = 10 20 30 30 → ranks 1 2 3.5 3.5; both mean 2.5.
        // dx = −1.5 0 0 1.5, dy = −1.5 −.5 1 1: Σ dx·dy = 2.25 + 1.5 = 3.75, Σ dx² = 4.5,
        // Σ dy² = 2.25 + .25 + 1 + 1 = 4.5; ρ = 3.75 / 4.5 = 5/6.
        double rho = Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {10, 20, 30, 30});
        assertEquals(5.0 / 6, rho, 1e-15);
    }

    @Test
    void spearmanOfAMonotoneMapIsOne() {
        assertEquals(
                1.0,
                Correlation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 64}),
                1e-15);
        assertEquals(
                -1.0,
                Correlation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}),
                1e-15);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Correlation.pearson(new double[] {1, 2}, new double[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Correlation.pearson(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }
}
