package io.rankwise.optimizers.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statistics of {@link DeviceNoise#drawAll}, which makes a whole step's ε in one generator call
 * and slices it per parameter and sample: every element must be N(0, 1), and elements must be
 * independent across parameters, Monte-Carlo samples and steps.
 *
 * <p>Every bound is 5 standard errors of its statistic under that hypothesis, for the statistic's
 * own sample size n (the draws are seeded, so a passing case passes every time): for i.i.d. N(0, 1)
 * elements the mean has standard error 1/√n, the mean of z² √(2/n), the mean of z⁴ √(96/n) (Var z⁴
 * = E z⁸ − 9 = 105 − 9), a fraction p √(p(1 − p)/n); for two independent N(0, 1) vectors x and y,
 * mean(x·y) has √(1/n) and mean((x² − 1)(y² − 1)) has √(4/n). The second kind of correlation sees
 * dependence that leaves signs independent (a shared radius, say, as a Box–Muller pair would have
 * if its two halves were not independent).
 */
class DeviceNoiseTest {
    /**
     * Two parameters of one shape (if they were handed the same slice, their draws would be equal),
     * one whose size is not a multiple of the layout's alignment, and a small one.
     */
    private static final Shape[] SHAPES = {
        Shape.of(256, 512), Shape.of(256, 512), Shape.of(1001), Shape.of(3, 7)
    };

    private static final int SAMPLES = 2;
    private static final int STEPS = 3;

    static Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return Backends.withFloatTypes();
    }

    /** ε[step − 1][sample][parameter] as drawn by one seeded source. */
    private static double[][][][] draws(String backendName, DType dtype, long seed) {
        Backend backend = Backends.get(backendName);
        List<Variable> params = new ArrayList<>();
        String prefix = Backends.unique("noise");
        for (int i = 0; i < SHAPES.length; i++) {
            params.add(
                    backend.variable(
                            prefix + i,
                            new double[Math.toIntExact(SHAPES[i].size())],
                            SHAPES[i],
                            dtype,
                            true));
        }
        DeviceNoise noise = new DeviceNoise(seed);
        double[][][][] out = new double[STEPS][SAMPLES][SHAPES.length][];
        try (RecordFunction<DeviceNoise.Inputs> f =
                RecordFunction.compile(
                        backend,
                        (ops, in) ->
                                noise.drawAll(ops, in, params, SAMPLES).stream()
                                        .flatMap(List::stream)
                                        .toList())) {
            for (int t = 1; t <= STEPS; t++) {
                DeviceNoise.Inputs in = noise.inputs(backend, t, params, SAMPLES);
                try {
                    List<Tensor> result = f.call(in);
                    assertEquals(SAMPLES * SHAPES.length, result.size());
                    for (int s = 0; s < SAMPLES; s++) {
                        for (int i = 0; i < SHAPES.length; i++) {
                            Tensor eps = result.get(s * SHAPES.length + i);
                            assertEquals(SHAPES[i], eps.shape(), "shape of parameter " + i);
                            assertEquals(dtype, eps.dtype(), "dtype of parameter " + i);
                            out[t - 1][s][i] = eps.toDoubles();
                        }
                    }
                    result.forEach(Tensor::close);
                } finally {
                    in.seed().close();
                }
            }
        }
        return out;
    }

    /** Every parameter's draws at one step and sample, end to end. */
    private static double[] joined(double[][] perParameter) {
        return Arrays.stream(perParameter).flatMapToDouble(Arrays::stream).toArray();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyElementIsStandardNormal(String backendName, DType dtype) {
        double[][][][] eps = draws(backendName, dtype, 5);
        double[] all =
                Arrays.stream(eps)
                        .flatMap(Arrays::stream)
                        .flatMapToDouble(step -> Arrays.stream(joined(step)))
                        .toArray();
        int n = all.length;
        String what = backendName + " " + dtype + ", " + n + " draws: ";
        double m1 = 0;
        double m2 = 0;
        double m4 = 0;
        long withinOne = 0;
        long beyondThree = 0;
        for (double z : all) {
            m1 += z;
            m2 += z * z;
            m4 += z * z * z * z;
            withinOne += Math.abs(z) < 1 ? 1 : 0;
            beyondThree += Math.abs(z) > 3 ? 1 : 0;
        }
        assertEquals(0, m1 / n, 5 / Math.sqrt(n), what + "mean");
        assertEquals(1, m2 / n, 5 * Math.sqrt(2.0 / n), what + "mean of z²");
        assertEquals(3, m4 / n, 5 * Math.sqrt(96.0 / n), what + "mean of z⁴");
        double pOne = 0.6826894921370859; // P(|Z| < 1) = erf(1/√2)
        assertEquals(
                pOne,
                withinOne / (double) n,
                5 * Math.sqrt(pOne * (1 - pOne) / n),
                what + "fraction within 1");
        double pThree = 0.0026997960632601866; // P(|Z| > 3) = erfc(3/√2)
        assertEquals(
                pThree,
                beyondThree / (double) n,
                5 * Math.sqrt(pThree * (1 - pThree) / n),
                what + "fraction beyond 3");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void consecutiveStepsAreIndependent(String backendName, DType dtype) {
        double[][][][] eps = draws(backendName, dtype, 5);
        for (int t = 0; t + 1 < STEPS; t++) {
            for (int s = 0; s < SAMPLES; s++) {
                assertUncorrelated(
                        joined(eps[t][s]),
                        joined(eps[t + 1][s]),
                        backendName
                                + " "
                                + dtype
                                + " sample "
                                + s
                                + ", steps "
                                + (t + 1)
                                + " and "
                                + (t + 2));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void parametersAndSamplesAreIndependent(String backendName, DType dtype) {
        double[][][][] eps = draws(backendName, dtype, 5);
        String what = backendName + " " + dtype + " step 1: ";
        for (int s = 0; s < SAMPLES; s++) {
            assertUncorrelated(
                    eps[0][s][0],
                    eps[0][s][1],
                    what + "the two same-shaped parameters, sample " + s);
        }
        assertUncorrelated(
                joined(eps[0][0]), joined(eps[0][1]), what + "samples 0 and 1, all parameters");
        // The small parameters against as many elements of the first one (too few elements for
        // a tight correlation bound, so also: not the same numbers).
        for (int i = 2; i < SHAPES.length; i++) {
            double[] small = eps[0][0][i];
            double[] prefix = Arrays.copyOf(eps[0][0][0], small.length);
            assertUncorrelated(prefix, small, what + "parameter " + i + " and parameter 0");
            assertFalse(Arrays.equals(prefix, small), what + "parameter " + i + " reuses 0's");
            assertFalse(
                    Arrays.equals(eps[0][1][i], small),
                    what + "parameter " + i + " repeats its draws in sample 1");
        }
    }

    /**
     * Elements close together in one draw: generators pair their outputs (Box–Muller makes two
     * normals from one radius; PyTorch pairs elements 8 apart, TensorFlow's transform here the two
     * halves of the vector, which the sample test above covers, since its samples are the halves).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void neighboursWithinOneDrawAreIndependent(String backendName, DType dtype) {
        double[] x = draws(backendName, dtype, 5)[0][0][0];
        for (int lag : new int[] {1, 2, 8, 16}) {
            assertUncorrelated(
                    Arrays.copyOfRange(x, 0, x.length - lag),
                    Arrays.copyOfRange(x, lag, x.length),
                    backendName + " " + dtype + " parameter 0, lag " + lag);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void drawsAreAPureFunctionOfSeedAndStep(String backendName, DType dtype) {
        double[][][][] first = draws(backendName, dtype, 5);
        double[][][][] again = draws(backendName, dtype, 5);
        double[][][][] otherSeed = draws(backendName, dtype, 6);
        for (int t = 0; t < STEPS; t++) {
            assertArrayEquals(joined(first[t][0]), joined(again[t][0]), "step " + (t + 1));
            assertUncorrelated(
                    joined(first[t][0]),
                    joined(otherSeed[t][0]),
                    backendName + " " + dtype + " seeds 5 and 6, step " + (t + 1));
        }
    }

    /** Both correlations of the class comment within 5 standard errors of 0. */
    private static void assertUncorrelated(double[] x, double[] y, String what) {
        assertEquals(x.length, y.length, what);
        int n = x.length;
        double products = 0;
        double squares = 0;
        for (int j = 0; j < n; j++) {
            products += x[j] * y[j];
            squares += (x[j] * x[j] - 1) * (y[j] * y[j] - 1);
        }
        double bound = 5 / Math.sqrt(n);
        assertTrue(
                Math.abs(products / n) <= bound,
                what + ": mean(x·y) = " + products / n + " over " + n + "; bound " + bound);
        assertTrue(
                Math.abs(squares / n) <= 2 * bound,
                what
                        + ": mean((x² − 1)(y² − 1)) = "
                        + squares / n
                        + " over "
                        + n
                        + "; bound "
                        + 2 * bound);
    }
}
