package io.rankwise.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.api.DType;
import java.util.Arrays;

/** Comparisons with the mixed criterion |actual − expected| ≤ atol + rtol·|expected|. */
public final class Check {
    private Check() {}

    /**
     * Relative and absolute tolerance for comparing a backend's result to the float64 reference.
     */
    public static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
    }

    public static void shape(String what, long[] expected, Exec.Out actual) {
        assertArrayEquals(
                expected,
                actual.shape().dims(),
                what + ": shape " + actual.shape() + ", expected " + Arrays.toString(expected));
    }

    public static void output(
            String what,
            RefArray expected,
            DType expectedType,
            Exec.Out actual,
            double rtol,
            double atol) {
        shape(what, expected.shape, actual);
        assertEquals(expectedType, actual.dtype(), what + ": dtype");
        close(what, expected.data, actual.values(), rtol, atol);
    }

    /**
     * Fails naming the worst element, the number outside the tolerance, and the first few
     * mismatches.
     */
    public static void close(
            String what, double[] expected, double[] actual, double rtol, double atol) {
        close(what, expected, actual, rtol, atol, expected);
    }

    /** As above with the relative part taken of {@code |scale[i]|} instead of |expected[i]|. */
    public static void close(
            String what,
            double[] expected,
            double[] actual,
            double rtol,
            double atol,
            double[] scale) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double allowed = atol + rtol * Math.abs(scale[i]);
            double diff = Math.abs(a - e);
            boolean ok = diff <= allowed || (Double.isNaN(e) && Double.isNaN(a)) || (e == a);
            if (!ok) {
                bad++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
                if (bad <= 4) {
                    first.append(String.format(" [%d] expected %.17g got %.17g;", i, e, a));
                }
            }
        }
        if (bad > 0) {
            fail(
                    String.format(
                            "%s: %d of %d values outside |a-e| <= %.1e + %.1e*|e|; worst at [%d]: expected %.17g,"
                                    + " got %.17g (diff %.3e); first:%s",
                            what,
                            bad,
                            expected.length,
                            atol,
                            rtol,
                            worst,
                            expected[worst],
                            actual[worst],
                            Math.abs(actual[worst] - expected[worst]),
                            first));
        }
    }

    /** Exact equality (comparisons, integer results, determinism). */
    public static void exact(String what, double[] expected, double[] actual) {
        close(what, expected, actual, 0, 0);
    }
}
