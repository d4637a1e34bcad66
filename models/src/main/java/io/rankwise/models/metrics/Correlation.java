package io.rankwise.models.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Correlation of predicted and gold scores (STS-B's metrics).
 *
 * <ul>
 *   <li>Pearson: r = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²).
 *   <li>Spearman: Pearson's r of the ranks of x and of y, where tied values all get the average of
 *       the ranks they span (ranks start at 1), as in scipy.stats.spearmanr.
 * </ul>
 *
 * <p>If either input is constant its variance is 0 and the coefficient is undefined: both methods
 * then return {@link Double#NaN} (as scipy does), so a caller that logs a metric sees "NaN" rather
 * than a plausible-looking number. Inputs of different lengths, empty inputs and non-finite values
 * are rejected with {@link IllegalArgumentException}.
 */
public final class Correlation {
    private Correlation() {}

    /** Pearson's correlation coefficient; NaN when x or y is constant. */
    public static double pearson(double[] x, double[] y) {
        Checks.sameNonEmptyLength(x.length, y.length);
        Checks.finite("x", x);
        Checks.finite("y", y);
        double meanX = mean(x), meanY = mean(y);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        // Rounding can push |r| a hair above 1 for perfectly correlated inputs.
        return Math.max(-1.0, Math.min(1.0, sxy / Math.sqrt(sxx * syy)));
    }

    /**
     * Spearman's rank correlation coefficient with average ranks for ties; NaN when x or y is
     * constant.
     */
    public static double spearman(double[] x, double[] y) {
        Checks.sameNonEmptyLength(x.length, y.length);
        Checks.finite("x", x);
        Checks.finite("y", y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /** Ranks 1..n of the values; a run of equal values gets the mean of the ranks it occupies. */
    public static double[] averageRanks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1.0; // mean of the 1-based ranks start+1 .. end+1
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }
}
