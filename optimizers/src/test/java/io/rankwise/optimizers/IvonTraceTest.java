package io.rankwise.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.optimizers.noise.ReplayNoise;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared IVON trace on every backend: the recorded draws are replayed through the optimizer's
 * noise source, the gradients come from the backend's own autodiff, and the state after each step
 * (mean, momentum, Hessian) must match the official implementation's.
 *
 * <p>Tolerances. In float64, 1e-9 relative (with the floor of {@link #assertClose}). In float32,
 * |got − want| ≤ {@value #F32_RTOL}·|want| + {@value #F32_ATOL_SCALE}·parts, where parts is the
 * magnitude of the terms behind the number ({@link TraceMagnitudes}, computed in float64 from the
 * trace): float32 rounds each term to u = 2⁻²⁴ ≈ 6e-8 of itself, so where terms cancel the error
 * stays at the terms' scale while the result shrinks, and a bound relative to the result alone
 * either fails on a cancelling gradient component or must be loosened for every number. The scale,
 * 2e-6 ≈ 34 u of the parts, covers the growth of a sum of k terms (k ≤ 16 rows plus 4 inputs here;
 * k·u at worst, about √k·u typically) and the steps an error carries into (the momentum and the
 * mean accumulate); the traces' largest error on both backends was 1.7 u of the parts. The relative
 * term, 1e-6 ≈ 17 u, covers the few roundings of a number's own last operations. The float64 runs
 * keep the tight check of the formulas; these check float32 behaviour.
 */
class IvonTraceTest {
    /** The relative part of the float32 tolerance. */
    static final double F32_RTOL = 1e-6;

    /** The scale of the parts in the float32 tolerance. */
    static final double F32_ATOL_SCALE = 2e-6;

    static final List<String> TRACES =
            List.of(
                    "ivon_price_basic.json",
                    "ivon_gradsq.json",
                    "ivon_no_rescale_no_debias.json",
                    "ivon_price_mc2_clip.json");

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String backend : Backends.names()) {
            for (String trace : TRACES) {
                cases.add(Arguments.of(backend, trace, DType.FLOAT64, 1e-9));
                cases.add(Arguments.of(backend, trace, DType.FLOAT32, F32_RTOL));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void stateAfterEveryStepMatchesTheOfficialImplementation(
            String backendName, String file, DType dtype, double tolerance) {
        Trace trace = Trace.load(file);
        Backend backend = Backends.get(backendName);
        int n = trace.x().length;
        int dIn = trace.x()[0].length;
        int dOut = trace.y()[0].length;
        String prefix = Backends.unique(file + "." + dtype);
        Variable w =
                backend.variable(
                        prefix + "W", Trace.flat(trace.w0()), Shape.of(dIn, dOut), dtype, true);
        Variable b = backend.variable(prefix + "b", trace.b0(), Shape.of(dOut), dtype, true);
        Ivon ivon = new Ivon(trace.settings(), new ReplayNoise(trace.draws()));
        TraceMagnitudes parts = dtype == DType.FLOAT32 ? TraceMagnitudes.of(trace) : null;
        ivon.attach(backend, List.of(w, b));

        try (Tensor x = backend.tensor(Trace.flat(trace.x()), Shape.of(n, dIn), dtype);
                Tensor y = backend.tensor(Trace.flat(trace.y()), Shape.of(n, dOut), dtype);
                RecordFunction<RegressionInputs> step =
                        RecordFunction.compile(
                                backend,
                                (ops, in) ->
                                        List.of(
                                                ivon.minimize(
                                                                ops,
                                                                List.of(
                                                                        p ->
                                                                                halfMeanSquaredError(
                                                                                        ops, in.x(),
                                                                                        in.y(), p,
                                                                                        n)),
                                                                in.optimizer())
                                                        .loss()))) {
            for (int t = 1; t <= trace.steps().size(); t++) {
                var expected = trace.steps().get(t - 1);
                double loss;
                try (Optimizer.StepInputs stepInputs = ivon.stepInputs(backend, t)) {
                    List<Tensor> out = step.call(new RegressionInputs(x, y, stepInputs));
                    loss = out.get(0).scalar();
                    out.forEach(Tensor::close);
                }
                String where = backendName + " " + file + " " + dtype + " step " + t;
                if (trace.settings().mcSamples() == 1) {
                    double want = expected.get("samples").get(0).get("loss").asDouble();
                    if (parts == null) {
                        assertClose(want, loss, tolerance, where + " loss");
                    } else {
                        assertWithinParts(
                                new double[] {want},
                                new double[] {loss},
                                new double[] {parts.loss()[t - 1]},
                                where + " loss");
                    }
                }
                for (int i = 0; i < 2; i++) {
                    String param = i == 0 ? "W" : "b";
                    Variable v = i == 0 ? w : b;
                    double[][] wanted = {
                        Trace.values(expected.get("mean_after"), param),
                        Trace.values(expected.get("momentum_after"), param),
                        Trace.values(expected.get("hess_after"), param)
                    };
                    double[][] got = {
                        v.toDoubles(),
                        ivon.momenta().get(i).toDoubles(),
                        ivon.hessians().get(i).toDoubles()
                    };
                    String[] names = {" mean ", " momentum ", " hess "};
                    for (int q = 0; q < 3; q++) {
                        if (parts == null) {
                            assertAllClose(wanted[q], got[q], tolerance, where + names[q] + param);
                        } else {
                            List<double[]> of =
                                    List.of(parts.mean(), parts.momentum(), parts.hess()).get(q);
                            assertWithinParts(
                                    wanted[q],
                                    got[q],
                                    TraceMagnitudes.of(of.get(t - 1), i, dIn, dOut),
                                    where + names[q] + param);
                        }
                    }
                }
            }
        }
    }

    /** 0.5 · mean over rows of Σ over columns of (x W + b − y)². */
    static Tensor halfMeanSquaredError(Ops ops, Tensor x, Tensor y, List<Tensor> p, int rows) {
        Tensor residual = ops.sub(ops.add(ops.matmul(x, p.get(0)), p.get(1)), y);
        return ops.mul(ops.sum(ops.square(residual)), 0.5 / rows);
    }

    /**
     * |actual − expected| ≤ {@link #F32_RTOL}·|expected| + {@link #F32_ATOL_SCALE}·parts, element
     * by element.
     */
    static void assertWithinParts(double[] expected, double[] actual, double[] parts, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            double bound = F32_RTOL * Math.abs(expected[i]) + F32_ATOL_SCALE * parts[i];
            if (!(error <= bound)) {
                assertEquals(expected[i], actual[i], bound, what + "[" + i + "]");
            }
        }
    }

    static void assertClose(double expected, double actual, double relative, String what) {
        double bound = relative * Math.max(Math.abs(expected), 1e-3);
        if (!(Math.abs(expected - actual) <= bound)) {
            assertEquals(expected, actual, bound, what);
        }
    }

    static void assertAllClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], relative, what + "[" + i + "]");
        }
    }
}
