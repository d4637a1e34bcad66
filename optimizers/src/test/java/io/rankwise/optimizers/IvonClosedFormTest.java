package io.rankwise.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.testing.Backends;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bayesian linear regression, where the answer is known in closed form. With the loss ½ · mean_i
 * (y_i − x_iᵀw)² (unit noise variance), ess = n and weight decay δ (a Gaussian prior of precision
 * nδ), the exact posterior mean is (XᵀX + nδI)⁻¹Xᵀy and the mean-field optimum of the variances is
 * σ² = 1 / diag(XᵀX + nδI). IVON's mean and σ² must reach them within a few percent. (Designed and
 * sized with a float64 simulation of the same update: over 8 seeds the worst errors were 1.2% for
 * the mean and 3.8% for σ².)
 */
class IvonClosedFormTest {
    private static final int N = 200;
    private static final int D = 3;
    private static final double DELTA = 0.05;
    private static final int STEPS = 3000;

    static List<String> backends() {
        return Backends.names();
    }

    /** What a run gives, beside the exact answer. */
    record Outcome(double[] mean, double[] sigma, double[] exactMean, double[][] precision) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void meanAndVarianceReachTheExactPosterior(String backendName) {
        Outcome o = run(backendName, 1.0, 0.999);
        for (int j = 0; j < D; j++) {
            double meanError =
                    Math.abs(o.mean()[j] - o.exactMean()[j]) / Math.abs(o.exactMean()[j]);
            double varianceRatio = o.sigma()[j] * o.sigma()[j] * o.precision()[j][j];
            assertTrue(
                    meanError < 0.03,
                    backendName
                            + ": mean["
                            + j
                            + "] = "
                            + o.mean()[j]
                            + ", exact "
                            + o.exactMean()[j]);
            assertTrue(
                    Math.abs(varianceRatio - 1) < 0.08,
                    backendName
                            + ": sigma²["
                            + j
                            + "] = "
                            + o.sigma()[j] * o.sigma()[j]
                            + ", mean-field optimum "
                            + 1 / o.precision()[j][j]);
        }
    }

    /**
     * The default β₂ = 0.99999 (the paper's) in the same problem: the Hessian estimate h moves
     * toward the data's Hessian H = diag(XᵀX)/n by a fraction 1 − β₂ per step, so after T steps it
     * has covered 1 − β₂ᵀ of the way from hess_init (3% for T = 3,000), and σ² = 1/(n(h + δ)) is
     * still about what hess_init set: here 3 to 4 times the mean-field optimum. With β₂ = 0.999
     * (above) it covers 1 − 0.999³⁰⁰⁰ = 95% and reaches the optimum. This is why the shipped
     * configurations choose hess_init with care (docs/algorithms.md, "Initial noise").
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void withTheDefaultBeta2TheVarianceStaysWhereHessInitPutIt(String backendName) {
        double hessInit = 0.25;
        double beta2 = 0.99999;
        Outcome o = run(backendName, hessInit, beta2);
        double covered = 1 - Math.pow(beta2, STEPS);
        for (int j = 0; j < D; j++) {
            double dataHessian = o.precision()[j][j] / N - DELTA;
            double h = 1 / (N * o.sigma()[j] * o.sigma()[j]) - DELTA;
            double fraction = (h - hessInit) / (dataHessian - hessInit);
            assertTrue(
                    Math.abs(fraction - covered) < 0.01,
                    backendName
                            + ": h["
                            + j
                            + "] covered "
                            + fraction
                            + " of the way from hess_init to H; 1 - β₂^T = "
                            + covered);
            double varianceRatio = o.sigma()[j] * o.sigma()[j] * o.precision()[j][j];
            assertTrue(
                    varianceRatio > 2.5,
                    backendName + ": sigma² is " + varianceRatio + " × the mean-field optimum");
        }
    }

    /** IVON on the regression for {@link #STEPS} steps with these settings. */
    private static Outcome run(String backendName, double hessInit, double beta2) {
        HostRandom random = new HostRandom(3);
        double[] a = random.normal(N * D, 0, 1);
        double[] x = new double[N * D];
        double[][] mix = {
            {1, 0.5, 0}, {0, 1, 0.3}, {0, 0, 1}
        }; // correlated columns: off-diagonals matter
        double[] wTrue = {1.5, -2.0, 0.7};
        double[] noise = random.normal(N, 0, 0.5);
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < D; k++) {
                    x[i * D + j] += a[i * D + k] * mix[k][j];
                }
                y[i] += x[i * D + j] * wTrue[j];
            }
            y[i] += noise[i];
        }
        double[][] precision = new double[D][D];
        double[] xty = new double[D];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                xty[j] += x[i * D + j] * y[i];
                for (int k = 0; k < D; k++) {
                    precision[j][k] += x[i * D + j] * x[i * D + k];
                }
            }
        }
        for (int j = 0; j < D; j++) {
            precision[j][j] += N * DELTA;
        }
        double[] exactMean = solve(precision, xty);

        Backend backend = Backends.get(backendName);
        Variable w =
                backend.variable(
                        Backends.unique("blr") + "w",
                        new double[D],
                        Shape.of(D, 1),
                        DType.FLOAT64,
                        true);
        Ivon ivon =
                new Ivon(
                        new IvonSettings(
                                0.2,
                                N,
                                hessInit,
                                0.9,
                                beta2,
                                DELTA,
                                4,
                                "price",
                                Double.POSITIVE_INFINITY,
                                true,
                                true),
                        new DeviceNoise(17));
        ivon.attach(backend, List.of(w));
        try (Tensor xs = backend.tensor(x, Shape.of(N, D), DType.FLOAT64);
                Tensor ys = backend.tensor(y, Shape.of(N, 1), DType.FLOAT64);
                RecordFunction<RegressionInputs> step =
                        RecordFunction.compile(
                                backend,
                                (ops, in) ->
                                        List.of(
                                                ivon.minimize(
                                                                ops,
                                                                List.of(
                                                                        p ->
                                                                                ops.mul(
                                                                                        ops.mean(
                                                                                                ops
                                                                                                        .square(
                                                                                                                ops
                                                                                                                        .sub(
                                                                                                                                ops
                                                                                                                                        .matmul(
                                                                                                                                                in
                                                                                                                                                        .x(),
                                                                                                                                                p
                                                                                                                                                        .get(
                                                                                                                                                                0)),
                                                                                                                                in
                                                                                                                                        .y()))),
                                                                                        0.5)),
                                                                in.optimizer())
                                                        .loss()))) {
            for (int t = 1; t <= STEPS; t++) {
                // constant, then linear decay to zero: the mean settles instead of jittering
                ivon.setLearningRate(t < STEPS / 2 ? 0.2 : 0.2 * (STEPS - t) / (STEPS / 2.0));
                try (Optimizer.StepInputs stepInputs = ivon.stepInputs(backend, t)) {
                    step.call(new RegressionInputs(xs, ys, stepInputs)).forEach(Tensor::close);
                }
            }
        }
        return new Outcome(
                ivon.posterior().orElseThrow().meanValues(w),
                ivon.posterior().orElseThrow().stdValues(w),
                exactMean,
                precision);
    }

    /** Gaussian elimination with partial pivoting (D is 3). */
    static double[] solve(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] m = new double[n][];
        double[] b = rhs.clone();
        for (int i = 0; i < n; i++) {
            m[i] = matrix[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] row = m[c];
            m[c] = m[pivot];
            m[pivot] = row;
            double t = b[c];
            b[c] = b[pivot];
            b[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] out = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * out[k];
            }
            out[r] = s / m[r][r];
        }
        return out;
    }
}
