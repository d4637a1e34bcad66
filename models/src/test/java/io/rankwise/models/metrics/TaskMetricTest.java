package io.rankwise.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TaskMetricTest {
    @Test
    void computesFromDoubles() {
        double[] pred = {1, 1, 0, 0, 1, 0}, gold = {1, 0, 0, 0, 1, 1};
        assertEquals(4.0 / 6, TaskMetric.ACCURACY.compute(pred, gold), 1e-15);
        assertEquals(2.0 / 3, TaskMetric.F1.compute(pred, gold), 1e-15);
        assertEquals(1.0 / 3, TaskMetric.MATTHEWS_CORRELATION.compute(pred, gold), 1e-15);
        assertEquals(
                1.0,
                TaskMetric.SPEARMAN.compute(new double[] {1, 2, 3}, new double[] {2, 4, 9}),
                1e-15);
    }

    @Test
    void classificationMetricsRejectNonIndices() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TaskMetric.ACCURACY.compute(new double[] {0.5}, new double[] {1}));
    }

    @Test
    void byId() {
        assertEquals(TaskMetric.MATTHEWS_CORRELATION, TaskMetric.byId("matthews_correlation"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TaskMetric.byId("auc"));
        assertEquals(true, e.getMessage().contains("pearson"));
    }
}
