package io.rankwise.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.testing.Backends;
import io.rankwise.testing.Check;
import io.rankwise.testing.Exec;
import io.rankwise.testing.FiniteDifferences;
import io.rankwise.testing.Mlp;
import io.rankwise.testing.OpCases;
import io.rankwise.testing.RefArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ops#valueAndGradients} on every discovered backend, in float64: gradients against central
 * finite differences of the same backend's compiled forward pass (which checks the gradient
 * machinery), and forward values against the plain-Java reference.
 */
@ExtendWith(Backends.class)
class GradientConformanceTest {
    private static final DType F64 = DType.FLOAT64;
    private static final double H = 1e-6;
    private static final double GRAD_TOL = 1e-6;

    static List<String> backends() {
        return Backends.names();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String b : Backends.names()) {
            for (String c : OpCases.differentiableNames()) {
                out.add(Arguments.of(b, c));
            }
        }
        return out.stream();
    }

    /**
     * For a case computing y = op(args), differentiates f = Σ y ⊙ w (w a fixed random weight of y's
     * shape, so that every output element counts differently) with respect to the case's floating
     * inputs.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(String backendName, String caseName) {
        Backend backend = Backends.get(backendName);
        OpCases.OpCase c = OpCases.get(caseName);
        RefArray y = c.expected(F64);
        RefArray w = RefArray.normal(new HostRandom(caseName.hashCode()), 0, 1, y.shape);
        List<Exec.In> inputs = new ArrayList<>(c.inputs(F64));
        int nArgs = inputs.size();
        inputs.add(new Exec.In(w, F64));
        int[] wrt = c.wrt;
        StepFunction forward =
                (ops, in) ->
                        List.of(
                                ops.sum(
                                        ops.mul(
                                                c.fn.apply(ops, in.subList(0, nArgs), F64),
                                                in.get(nArgs))));
        StepFunction withGradients =
                (ops, in) -> {
                    List<Tensor> args = in.subList(0, nArgs);
                    List<Tensor> at = new ArrayList<>();
                    for (int k : wrt) {
                        at.add(args.get(k));
                    }
                    ValueAndGradients vg =
                            ops.valueAndGradients(
                                    xs -> {
                                        List<Tensor> a = new ArrayList<>(args);
                                        for (int i = 0; i < wrt.length; i++) {
                                            a.set(wrt[i], xs.get(i));
                                        }
                                        return ops.sum(
                                                ops.mul(c.fn.apply(ops, a, F64), in.get(nArgs)));
                                    },
                                    at);
                    List<Tensor> out = new ArrayList<>();
                    out.add(vg.value());
                    out.addAll(vg.gradients());
                    return out;
                };
        String what = backendName + " gradient of '" + caseName + "' FLOAT64";
        double expectedValue = y.mul(w).sumAll();
        double scale = 1 + y.mul(w).map(Math::abs).sumAll();
        List<Exec.Out> got = Exec.run(what, backend, withGradients, inputs);
        assertEquals(
                1 + wrt.length, got.size(), what + ": outputs (value and one gradient per tensor)");
        Check.output(
                what + ": value vs reference",
                RefArray.scalar(expectedValue),
                F64,
                got.get(0),
                0,
                1e-12 * scale);
        try (CompiledFunction fwd = backend.compile(forward)) {
            double f0 = Exec.call(backend, fwd, inputs).get(0).values()[0];
            assertEquals(expectedValue, f0, 1e-12 * scale, what + ": forward value vs reference");
            List<double[]> numeric = FiniteDifferences.gradients(backend, fwd, inputs, wrt, H);
            for (int i = 0; i < wrt.length; i++) {
                String which = what + " w.r.t. input " + wrt[i];
                Exec.Out g = got.get(1 + i);
                Check.shape(which, inputs.get(wrt[i]).value().shape, g);
                assertEquals(F64, g.dtype(), which + ": dtype");
                Check.close(
                        which + " vs central differences",
                        numeric.get(i),
                        g.values(),
                        GRAD_TOL,
                        GRAD_TOL);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mlpWithLayerNormAndCrossEntropyMatchesFiniteDifferences(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " 2-layer MLP + layerNorm + gelu + cross-entropy FLOAT64";
        List<Exec.In> inputs = Mlp.inputs(F64, 11);
        double expected = Mlp.reference(inputs);
        List<Exec.Out> got =
                Exec.run(
                        backend,
                        (ops, in) -> {
                            List<Tensor> at = new ArrayList<>();
                            for (int k : Mlp.WRT) {
                                at.add(in.get(k));
                            }
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            xs -> {
                                                List<Tensor> a = new ArrayList<>(xs);
                                                a.add(in.get(7));
                                                return Mlp.loss(ops, a, F64);
                                            },
                                            at);
                            List<Tensor> out = new ArrayList<>();
                            out.add(vg.value());
                            out.addAll(vg.gradients());
                            return out;
                        },
                        inputs);
        assertEquals(1 + Mlp.WRT.length, got.size(), what + ": outputs");
        Check.output(
                what + ": loss vs reference",
                RefArray.scalar(expected),
                F64,
                got.get(0),
                1e-12,
                1e-12);
        try (CompiledFunction fwd = backend.compile((ops, in) -> List.of(Mlp.loss(ops, in, F64)))) {
            assertEquals(
                    expected,
                    Exec.call(backend, fwd, inputs).get(0).values()[0],
                    1e-12,
                    what + ": forward loss vs reference");
            List<double[]> numeric = FiniteDifferences.gradients(backend, fwd, inputs, Mlp.WRT, H);
            String[] names = {"x", "W1", "b1", "gamma", "beta", "W2", "b2"};
            for (int i = 0; i < Mlp.WRT.length; i++) {
                Exec.Out g = got.get(1 + i);
                Check.shape(what + " d/d" + names[i], inputs.get(i).value().shape, g);
                Check.close(
                        what + " d/d" + names[i] + " vs central differences",
                        numeric.get(i),
                        g.values(),
                        GRAD_TOL,
                        GRAD_TOL);
            }
        }
    }

    /**
     * f = Σ tanh(V ⊙ x) at a variable read V and an input x: ∂f/∂V = x(1 − t²), ∂f/∂x = V(1 − t²).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientWithRespectToAVariableReadAndAnInput(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " gradient w.r.t. a variable read and an input FLOAT64";
        HostRandom r = new HostRandom(3);
        RefArray v0 = RefArray.normal(r, 0, 1, 3, 4);
        RefArray x = RefArray.normal(r, 0, 1, 3, 4);
        Variable v =
                backend.variable(
                        Backends.unique("gradVar"), v0.data.clone(), Shape.of(3, 4), F64, true);
        List<Exec.Out> got =
                Exec.run(
                        backend,
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            xs -> ops.sum(ops.tanh(ops.mul(xs.get(0), xs.get(1)))),
                                            List.of(ops.read(v), in.get(0)));
                            return List.of(
                                    vg.value(), vg.gradients().get(0), vg.gradients().get(1));
                        },
                        List.of(new Exec.In(x, F64)));
        RefArray t = v0.mul(x).map(Math::tanh);
        RefArray dt = t.map(z -> 1 - z * z);
        Check.output(what + ": value", RefArray.scalar(t.sumAll()), F64, got.get(0), 1e-12, 1e-12);
        Check.output(what + ": d/dV", x.mul(dt), F64, got.get(1), 1e-12, 1e-12);
        Check.output(what + ": d/dx", v0.mul(dt), F64, got.get(2), 1e-12, 1e-12);
        Check.exact(what + ": the variable is unchanged", v0.data, v.toDoubles());
    }

    /** h = x·W is an intermediate; f = Σ c ⊙ h²: ∂f/∂h = 2 c ⊙ h (nothing flows on to x or W). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientWithRespectToAnIntermediateTensor(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " gradient w.r.t. an intermediate tensor FLOAT64";
        HostRandom r = new HostRandom(4);
        RefArray x = RefArray.normal(r, 0, 1, 4, 3);
        RefArray w = RefArray.normal(r, 0, 1, 3, 5);
        RefArray c = RefArray.normal(r, 0, 1, 4, 5);
        List<Exec.Out> got =
                Exec.run(
                        backend,
                        (ops, in) -> {
                            Tensor h = ops.matmul(in.get(0), in.get(1));
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            hs ->
                                                    ops.sum(
                                                            ops.mul(
                                                                    ops.square(hs.get(0)),
                                                                    in.get(2))),
                                            List.of(h));
                            return List.of(vg.value(), vg.gradients().get(0), h);
                        },
                        List.of(new Exec.In(x, F64), new Exec.In(w, F64), new Exec.In(c, F64)));
        RefArray h = RefArray.matmul(x, w);
        Check.output(what + ": h", h, F64, got.get(2), 1e-12, 1e-12);
        Check.output(
                what + ": value",
                RefArray.scalar(h.mul(h).mul(c).sumAll()),
                F64,
                got.get(0),
                1e-12,
                1e-12);
        Check.output(what + ": d/dh", h.mul(c).map(z -> 2 * z), F64, got.get(1), 1e-12, 1e-12);
    }

    /**
     * Two differentiations in one step: g₁ = ∇ Σ c ⊙ x² = 2 c ⊙ x, then y = x − 0.1 g₁ and g₂ = ∇ Σ
     * exp(y) = exp(y) at y.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoValueAndGradientsCallsInOneStepFunction(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " two valueAndGradients in one step FLOAT64";
        HostRandom r = new HostRandom(5);
        RefArray x = RefArray.normal(r, 0, 1, 2, 3);
        RefArray c = RefArray.uniform(r, 0.5, 2, 2, 3);
        List<Exec.Out> got =
                Exec.run(
                        backend,
                        (ops, in) -> {
                            ValueAndGradients first =
                                    ops.valueAndGradients(
                                            xs ->
                                                    ops.sum(
                                                            ops.mul(
                                                                    ops.square(xs.get(0)),
                                                                    in.get(1))),
                                            List.of(in.get(0)));
                            Tensor y = ops.sub(in.get(0), ops.mul(first.gradients().get(0), 0.1));
                            ValueAndGradients second =
                                    ops.valueAndGradients(
                                            ys -> ops.sum(ops.exp(ys.get(0))), List.of(y));
                            return List.of(
                                    first.value(),
                                    first.gradients().get(0),
                                    second.value(),
                                    second.gradients().get(0));
                        },
                        List.of(new Exec.In(x, F64), new Exec.In(c, F64)));
        RefArray g1 = x.mul(c).map(z -> 2 * z);
        RefArray y = x.sub(g1.map(z -> 0.1 * z));
        Check.output(
                what + ": first value",
                RefArray.scalar(x.mul(x).mul(c).sumAll()),
                F64,
                got.get(0),
                1e-12,
                1e-12);
        Check.output(what + ": first gradient", g1, F64, got.get(1), 1e-12, 1e-12);
        Check.output(
                what + ": second value",
                RefArray.scalar(y.map(Math::exp).sumAll()),
                F64,
                got.get(2),
                1e-12,
                1e-12);
        Check.output(what + ": second gradient", y.map(Math::exp), F64, got.get(3), 1e-12, 1e-12);
    }

    /** A tensor that f does not use gets a zero gradient of its own shape. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientOfAnUnusedTensorIsZerosOfItsShape(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " gradient w.r.t. an unused tensor FLOAT64";
        RefArray x = RefArray.of(new double[] {1, -2, 3}, 3);
        RefArray z = RefArray.of(new double[] {5, 6, 7, 8}, 2, 2);
        List<Exec.Out> got =
                Exec.run(
                        backend,
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(xs -> ops.sum(ops.square(xs.get(0))), in);
                            return List.of(
                                    vg.value(), vg.gradients().get(0), vg.gradients().get(1));
                        },
                        List.of(new Exec.In(x, F64), new Exec.In(z, F64)));
        Check.output(what + ": value", RefArray.scalar(14), F64, got.get(0), 1e-12, 1e-12);
        Check.output(
                what + ": used",
                RefArray.of(new double[] {2, -4, 6}, 3),
                F64,
                got.get(1),
                1e-12,
                1e-12);
        Check.output(what + ": unused", RefArray.full(0, 2, 2), F64, got.get(2), 0, 0);
    }

    /** Gradients in float32 agree with the float64 analytic values to float32 precision. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float32GradientsOfTheMlpAgreeWithFloat64(String backendName) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " MLP gradients FLOAT32 vs FLOAT64";
        List<Exec.In> in32 = Mlp.inputs(DType.FLOAT32, 11);
        List<Exec.In> in64 = new ArrayList<>();
        for (Exec.In i : in32) {
            in64.add(new Exec.In(i.value(), i.dtype() == DType.FLOAT32 ? F64 : i.dtype()));
        }
        Function<DType, List<Exec.Out>> run =
                dt ->
                        Exec.run(
                                backend,
                                (ops, in) -> {
                                    List<Tensor> at = new ArrayList<>(in.subList(0, 7));
                                    ValueAndGradients vg =
                                            ops.valueAndGradients(
                                                    xs -> {
                                                        List<Tensor> a = new ArrayList<>(xs);
                                                        a.add(in.get(7));
                                                        return Mlp.loss(ops, a, dt);
                                                    },
                                                    at);
                                    List<Tensor> out = new ArrayList<>();
                                    out.add(vg.value());
                                    out.addAll(vg.gradients());
                                    return out;
                                },
                                dt == F64 ? in64 : in32);
        List<Exec.Out> g64 = run.apply(F64);
        List<Exec.Out> g32 = run.apply(DType.FLOAT32);
        assertEquals(
                Mlp.reference(in64),
                g64.get(0).values()[0],
                1e-12,
                what + ": float64 loss vs reference");
        for (int i = 0; i < g64.size(); i++) {
            assertEquals(DType.FLOAT32, g32.get(i).dtype(), what + ": output " + i + " dtype");
            Check.output(
                    what + ": output " + i,
                    g64.get(i).array(),
                    DType.FLOAT32,
                    g32.get(i),
                    1e-4,
                    1e-5);
        }
    }
}
