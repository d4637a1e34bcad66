package io.rankwise.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.NoiseSource;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IVON with the device's own noise against docs/algorithms.md §3.2 evaluated on the host in
 * float64, term by term in the official order. The draws the step used are read back from the step
 * itself (the noise source records what it handed the optimizer, and the step function returns it),
 * and the reference computes from them and the state before the step: θ_s = m + σε_s, the
 * regression's gradient at θ_s in closed form, f, ḡ', h' and m'. This checks what the replayed
 * traces cannot: that the sampled weights and the Hessian estimate of the fast path use the same ε,
 * and that the rewritten update is the formula, for settings the traces do not combine.
 */
class IvonStepReferenceTest {
    private static final int N = 8;
    private static final int D_IN = 3;
    private static final int D_OUT = 2;
    private static final int STEPS = 4;

    /** The settings, by name: the three update paths (clipped or not, δ = 0 or not), S = 1, 2. */
    private static final List<Arguments> SETTINGS =
            List.of(
                    Arguments.of(
                            "price, 2 samples, δ > 0, unclipped",
                            new IvonSettings(
                                    0.05,
                                    40,
                                    0.7,
                                    0.9,
                                    0.99,
                                    1e-2,
                                    2,
                                    "price",
                                    Double.POSITIVE_INFINITY,
                                    true,
                                    true)),
                    Arguments.of(
                            "gradsq, δ = 0, clipped, no debias, no rescale",
                            new IvonSettings(
                                    0.3, 25, 0.4, 0.8, 0.95, 0, 1, "gradsq", 0.02, false, false)),
                    Arguments.of(
                            "price, 1 sample, δ > 0, clipped",
                            new IvonSettings(
                                    0.1, 60, 1.0, 0.9, 0.999, 1e-3, 1, "price", 0.05, true, true)));

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String backend : Backends.names()) {
            for (Arguments s : SETTINGS) {
                cases.add(Arguments.of(backend, s.get()[0], s.get()[1], DType.FLOAT64, 1e-12));
                cases.add(Arguments.of(backend, s.get()[0], s.get()[1], DType.FLOAT32, 2e-5));
            }
        }
        return cases.stream();
    }

    /** Hands out what {@link DeviceNoise} draws and keeps the tensors for the step to return. */
    private static final class Recording implements NoiseSource {
        private final DeviceNoise inner = new DeviceNoise(11);
        private List<List<Tensor>> last;

        @Override
        public Inputs inputs(Backend backend, long step, List<Variable> parameters, int samples) {
            return inner.inputs(backend, step, parameters, samples);
        }

        @Override
        public Tensor draw(
                Ops ops, Inputs inputs, List<Variable> parameters, int index, int sample) {
            throw new AssertionError("IVON draws a step's noise with drawAll");
        }

        @Override
        public List<List<Tensor>> drawAll(
                Ops ops, Inputs inputs, List<Variable> parameters, int samples) {
            last = inner.drawAll(ops, inputs, parameters, samples);
            return last;
        }
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("cases")
    void eachStepIsTheFormulaAppliedToTheDrawsItUsed(
            String backendName, String name, IvonSettings s, DType dtype, double tolerance) {
        Backend backend = Backends.get(backendName);
        HostRandom random = new HostRandom(31);
        double[] x = rounded(random.normal(N * D_IN, 0, 1), dtype);
        double[] y = rounded(random.normal(N * D_OUT, 0, 1), dtype);
        String prefix = Backends.unique("ivonref");
        Variable w =
                backend.variable(
                        prefix + "W",
                        random.normal(D_IN * D_OUT, 0, 0.5),
                        Shape.of(D_IN, D_OUT),
                        dtype,
                        true);
        Variable b =
                backend.variable(
                        prefix + "b", random.normal(D_OUT, 0, 0.5), Shape.of(D_OUT), dtype, true);
        Recording noise = new Recording();
        Ivon ivon = new Ivon(s, noise);
        ivon.attach(backend, List.of(w, b));
        int samples = s.mcSamples();
        try (Tensor xs = backend.tensor(x, Shape.of(N, D_IN), dtype);
                Tensor ys = backend.tensor(y, Shape.of(N, D_OUT), dtype);
                RecordFunction<RegressionInputs> step =
                        RecordFunction.compile(
                                backend,
                                (ops, in) -> {
                                    Optimizer.Update u =
                                            ivon.minimize(
                                                    ops,
                                                    List.of(
                                                            p ->
                                                                    RegressionRun.loss(
                                                                            ops, in.x(), in.y(), p,
                                                                            N)),
                                                    in.optimizer());
                                    List<Tensor> out = new ArrayList<>();
                                    out.add(u.loss());
                                    noise.last.forEach(out::addAll);
                                    return out;
                                })) {
            for (int t = 1; t <= STEPS; t++) {
                double[][] m = {w.toDoubles(), b.toDoubles()};
                double[][] momentum = {
                    ivon.momenta().get(0).toDoubles(), ivon.momenta().get(1).toDoubles()
                };
                double[][] h = {
                    ivon.hessians().get(0).toDoubles(), ivon.hessians().get(1).toDoubles()
                };
                double[][][] eps = new double[samples][2][];
                double loss;
                try (Optimizer.StepInputs inputs = ivon.stepInputs(backend, t)) {
                    List<Tensor> out = step.call(new RegressionInputs(xs, ys, inputs));
                    loss = out.get(0).scalar();
                    for (int k = 0; k < samples; k++) {
                        for (int i = 0; i < 2; i++) {
                            eps[k][i] = out.get(1 + 2 * k + i).toDoubles();
                        }
                    }
                    out.forEach(Tensor::close);
                }
                Reference r = reference(s, t, x, y, m, momentum, h, eps);
                String where = backendName + " " + name + " " + dtype + " step " + t;
                assertClose(r.loss(), loss, tolerance, where + " loss");
                Variable[] params = {w, b};
                for (int i = 0; i < 2; i++) {
                    assertAllClose(r.mean()[i], params[i].toDoubles(), tolerance, where + " m" + i);
                    assertAllClose(
                            r.momentum()[i],
                            ivon.momenta().get(i).toDoubles(),
                            tolerance,
                            where + " momentum" + i);
                    assertAllClose(
                            r.hess()[i],
                            ivon.hessians().get(i).toDoubles(),
                            tolerance,
                            where + " hess" + i);
                }
            }
        }
    }

    /** The state after the step and the step's loss, per parameter (W row-major, then b). */
    record Reference(double loss, double[][] mean, double[][] momentum, double[][] hess) {}

    /** docs/algorithms.md §3.2, in the official order of operations, in float64. */
    static Reference reference(
            IvonSettings s,
            long t,
            double[] x,
            double[] y,
            double[][] m,
            double[][] momentum,
            double[][] h,
            double[][][] eps) {
        double ess = s.ess();
        double delta = s.weightDecay();
        int samples = eps.length;
        double[][] sigma = new double[2][];
        for (int i = 0; i < 2; i++) {
            sigma[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                sigma[i][j] = 1 / Math.sqrt(ess * (h[i][j] + delta));
            }
        }
        double loss = 0;
        double[][] gradMean = {new double[m[0].length], new double[m[1].length]};
        double[][] curvature = {new double[m[0].length], new double[m[1].length]};
        for (int k = 0; k < samples; k++) {
            double[][] noise = new double[2][];
            double[][] theta = new double[2][];
            for (int i = 0; i < 2; i++) {
                noise[i] = new double[m[i].length];
                theta[i] = new double[m[i].length];
                for (int j = 0; j < m[i].length; j++) {
                    noise[i][j] = sigma[i][j] * eps[k][i][j];
                    theta[i][j] = m[i][j] + noise[i][j];
                }
            }
            // L = ½ · mean over rows of Σ_c r², r = x W + b − y: ∂L/∂W = xᵀr / N, ∂L/∂b = Σ_rows r
            // / N
            double[][] g = {new double[D_IN * D_OUT], new double[D_OUT]};
            for (int row = 0; row < N; row++) {
                for (int c = 0; c < D_OUT; c++) {
                    double r = theta[1][c] - y[row * D_OUT + c];
                    for (int a = 0; a < D_IN; a++) {
                        r += x[row * D_IN + a] * theta[0][a * D_OUT + c];
                    }
                    loss += 0.5 * r * r / N / samples;
                    g[1][c] += r / N;
                    for (int a = 0; a < D_IN; a++) {
                        g[0][a * D_OUT + c] += x[row * D_IN + a] * r / N;
                    }
                }
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < m[i].length; j++) {
                    gradMean[i][j] += g[i][j] / samples;
                    curvature[i][j] +=
                            (s.hessApprox().equals("price")
                                            ? noise[i][j] * g[i][j]
                                            : g[i][j] * g[i][j])
                                    / samples;
                }
            }
        }
        double lr = s.rescaleLr() ? s.lr() * (s.hessInit() + delta) : s.lr();
        double d = s.debias() ? 1 - Math.pow(s.beta1(), t) : 1;
        double b2 = s.beta2();
        double[][] newMean = new double[2][];
        double[][] newMomentum = new double[2][];
        double[][] newHess = new double[2][];
        for (int i = 0; i < 2; i++) {
            int n = m[i].length;
            newMean[i] = new double[n];
            newMomentum[i] = new double[n];
            newHess[i] = new double[n];
            for (int j = 0; j < n; j++) {
                double hj = h[i][j];
                double f =
                        s.hessApprox().equals("price")
                                ? ess * curvature[i][j] * (hj + delta)
                                : ess * curvature[i][j];
                newMomentum[i][j] = s.beta1() * momentum[i][j] + (1 - s.beta1()) * gradMean[i][j];
                newHess[i][j] =
                        b2 * hj
                                + (1 - b2) * f
                                + 0.5 * (1 - b2) * (1 - b2) * (hj - f) * (hj - f) / (hj + delta);
                double direction =
                        (newMomentum[i][j] / d + delta * m[i][j]) / (newHess[i][j] + delta);
                direction = Math.max(-s.clipRadius(), Math.min(s.clipRadius(), direction));
                newMean[i][j] = m[i][j] - lr * direction;
            }
        }
        return new Reference(loss, newMean, newMomentum, newHess);
    }

    private static double[] rounded(double[] values, DType dtype) {
        double[] out = values.clone();
        if (dtype == DType.FLOAT32) {
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) out[j];
            }
        }
        return out;
    }

    /** |actual − expected| ≤ tolerance · (1 + |expected|). */
    private static void assertClose(double expected, double actual, double tolerance, String what) {
        assertEquals(expected, actual, tolerance * (1 + Math.abs(expected)), what);
    }

    private static void assertAllClose(
            double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int j = 0; j < expected.length; j++) {
            assertClose(expected[j], actual[j], tolerance, what + "[" + j + "]");
        }
    }
}
