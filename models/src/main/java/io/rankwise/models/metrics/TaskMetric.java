package io.rankwise.models.metrics;

import java.util.Arrays;
import java.util.Locale;

/**
 * The evaluation metrics a task names (GLUE's set), computed from predictions and gold labels given
 * as doubles: class indices for classification (1.0 for class 1) and scores for regression. This
 * one signature is what a training loop holds for any task; {@link #id()} is the name used in logs,
 * reports and configuration.
 */
public enum TaskMetric {
    /** {@link ClassificationMetrics#accuracy}. */
    ACCURACY("accuracy", false),
    /** {@link ClassificationMetrics#f1}, positive class 1. */
    F1("f1", false),
    /** {@link ClassificationMetrics#matthewsCorrelation}. */
    MATTHEWS_CORRELATION("matthews_correlation", false),
    /** {@link Correlation#pearson}. */
    PEARSON("pearson", true),
    /** {@link Correlation#spearman}. */
    SPEARMAN("spearman", true);

    private final String id;
    private final boolean regression;

    TaskMetric(String id, boolean regression) {
        this.id = id;
        this.regression = regression;
    }

    /** The metric's name in logs and configuration, e.g. {@code matthews_correlation}. */
    public String id() {
        return id;
    }

    /** Whether the metric compares real-valued scores (true) or class indices (false). */
    public boolean isRegression() {
        return regression;
    }

    /**
     * The metric's value.
     *
     * @param predicted predicted class indices (as doubles) or predicted scores
     * @param gold gold class indices (as doubles) or gold scores, same length
     * @throws IllegalArgumentException if lengths differ, are 0, or a classification metric gets a
     *     value that is not a non-negative integer
     */
    public double compute(double[] predicted, double[] gold) {
        if (regression) {
            return this == PEARSON
                    ? Correlation.pearson(predicted, gold)
                    : Correlation.spearman(predicted, gold);
        }
        int[] p = classIndices("predicted", predicted), g = classIndices("gold", gold);
        return switch (this) {
            case ACCURACY -> ClassificationMetrics.accuracy(p, g);
            case F1 -> ClassificationMetrics.f1(p, g);
            default -> ClassificationMetrics.matthewsCorrelation(p, g);
        };
    }

    /** The metric with the given {@link #id()} (case-insensitive). */
    public static TaskMetric byId(String id) {
        for (TaskMetric m : values()) {
            if (m.id.equalsIgnoreCase(id)) return m;
        }
        throw new IllegalArgumentException(
                "unknown metric '"
                        + id
                        + "'; known: "
                        + Arrays.stream(values()).map(TaskMetric::id).toList());
    }

    private static int[] classIndices(String what, double[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!(v >= 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "%s[%d] = %s is not a class index (expected 0, 1, ...)",
                                what,
                                i,
                                v));
            }
            out[i] = (int) v;
        }
        return out;
    }
}
