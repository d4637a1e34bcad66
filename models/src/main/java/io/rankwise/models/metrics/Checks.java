package io.rankwise.models.metrics;

/**
 * Argument checks shared by the metric classes, so that every metric rejects bad input the same
 * way.
 */
final class Checks {
    private Checks() {}

    static void sameNonEmptyLength(int predicted, int gold) {
        if (predicted != gold) {
            throw new IllegalArgumentException(
                    "predictions and gold labels differ in length: " + predicted + " vs " + gold);
        }
        if (predicted == 0) {
            throw new IllegalArgumentException("a metric needs at least one example; got 0");
        }
    }

    static void classIndices(String what, int[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException(
                        what
                                + "["
                                + i
                                + "] = "
                                + values[i]
                                + " is not a class index (expected 0, 1, ...)");
            }
        }
    }

    static void finite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        what + "[" + i + "] = " + values[i] + " is not finite");
            }
        }
    }
}
