package io.rankwise.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    // pred = 1 1 0 0 1 0, gold = 1 0 0 0 1 1:
    // TP = 2 (i0, i4), FP = 1 (i1), FN = 1 (i5), TN = 2 (i2, i3).
    private static final int[] PRED = {1, 1, 0, 0, 1, 0};
    private static final int[] GOLD = {1, 0, 0, 0, 1, 1};

    @Test
    void accuracyCountsMatches() {
        // 4 of 6 agree (i0, i2, i3, i4).
        assertEquals(4.0 / 6, ClassificationMetrics.accuracy(PRED, GOLD), 1e-15);
    }

    @Test
    void f1OfThePositiveClass() {
        // F1 = 2TP / (2TP + FP + FN) = 4 / 6.
        assertEquals(2.0 / 3, ClassificationMetrics.f1(PRED, GOLD), 1e-15);
    }

    @Test
    void f1IsZeroWithoutAnyPositive() {
        // TP = FP = FN = 0: undefined, reported as 0.
        assertEquals(0.0, ClassificationMetrics.f1(new int[] {0, 0}, new int[] {0, 0}));
    }

    @Test
    void binaryMatthews() {
        // (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (4 − 1) / sqrt(3·3·3·3) = 3/9.
        assertEquals(1.0 / 3, ClassificationMetrics.matthewsCorrelation(PRED, GOLD), 1e-15);
    }

    @Test
    void matthewsOfPerfectAndInvertedPredictions() {
        int[] gold = {0, 1, 1, 0};
        assertEquals(1.0, ClassificationMetrics.matthewsCorrelation(gold, gold), 1e-15);
        assertEquals(
                -1.0,
                ClassificationMetrics.matthewsCorrelation(new int[] {1, 0, 0, 1}, gold),
                1e-15);
    }

    @Test
    void multiClassMatthewsRk() {
        // pred = 0 1 2 0 1 2, gold = 0 1 2 1 2 0: c = 3 correct, s = 6, p_k = t_k = 2 for each k.
        // Σ p_k t_k = 12, Σ p_k² = Σ t_k² = 12.
        // MCC = (3·6 − 12) / sqrt((36 − 12)(36 − 12)) = 6 / 24 = 0.25.
        int[] pred = {0, 1, 2, 0, 1, 2}, gold = {0, 1, 2, 1, 2, 0};
        assertEquals(0.25, ClassificationMetrics.matthewsCorrelation(pred, gold), 1e-15);
    }

    @Test
    void matthewsIsZeroWhenOneSideIsAllOneClass() {
        // Gold all 1: s² − Σ t_k² = 9 − 9 = 0, so undefined, reported as 0.
        assertEquals(
                0.0,
                ClassificationMetrics.matthewsCorrelation(
                        new int[] {1, 0, 1}, new int[] {1, 1, 1}));
        // Predictions all 0: the other factor is 0.
        assertEquals(
                0.0,
                ClassificationMetrics.matthewsCorrelation(
                        new int[] {0, 0, 0}, new int[] {1, 0, 1}));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracy(new int[] {1}, new int[] {1, 0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracy(new int[0], new int[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.matthewsCorrelation(new int[] {-1}, new int[] {0}));
    }
}
