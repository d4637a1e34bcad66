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
 */
class IvonTraceTest {
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
                cases.add(Arguments.of(backend, trace, DType.FLOAT32, 1e-5));
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
                    assertClose(
                            expected.get("samples").get(0).get("loss").asDouble(),
                            loss,
                            tolerance,
                            where + " loss");
                }
                for (int i = 0; i < 2; i++) {
                    String param = i == 0 ? "W" : "b";
                    Variable v = i == 0 ? w : b;
                    assertAllClose(
                            Trace.values(expected.get("mean_after"), param),
                            v.toDoubles(),
                            tolerance,
                            where + " mean " + param);
                    assertAllClose(
                            Trace.values(expected.get("momentum_after"), param),
                            ivon.momenta().get(i).toDoubles(),
                            tolerance,
                            where + " momentum " + param);
                    assertAllClose(
                            Trace.values(expected.get("hess_after"), param),
                            ivon.hessians().get(i).toDoubles(),
                            tolerance,
                            where + " hess " + param);
                }
            }
        }
    }

    /** 0.5 · mean over rows of Σ over columns of (x W + b − y)². */
    static Tensor halfMeanSquaredError(Ops ops, Tensor x, Tensor y, List<Tensor> p, int rows) {
        Tensor residual = ops.sub(ops.add(ops.matmul(x, p.get(0)), p.get(1)), y);
        return ops.mul(ops.sum(ops.square(residual)), 0.5 / rows);
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
