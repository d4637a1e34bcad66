package io.rankwise.cli.report;

import java.util.Collection;
import java.util.Locale;

/**
 * The mean and sample standard deviation (n − 1) of one quantity over seeds.
 *
 * @param mean the mean, NaN when there are no values
 * @param std the sample standard deviation, NaN for fewer than two values (one seed says nothing
 *     about spread, and 0 would claim it does)
 * @param n how many values
 */
public record Summary(double mean, double std, int n) {

    /**
     * Summarises {@code values}; a NaN among them (a diverged run) makes the mean NaN, on purpose.
     */
    public static Summary of(Collection<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Summary(Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Summary(mean, Double.NaN, n);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Summary(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /** Whether a spread is known, that is, there were at least two values. */
    public boolean hasSpread() {
        return n >= 2;
    }

    /**
     * {@code mean ± std} with {@code decimals} digits; {@code mean ± —} for one value, {@code n/a}
     * for none.
     */
    public String format(int decimals) {
        if (n == 0) {
            return "n/a";
        }
        String f = "%." + decimals + "f";
        String m = String.format(Locale.ROOT, f, mean);
        return m + " ± " + (hasSpread() ? String.format(Locale.ROOT, f, std) : "—");
    }
}
