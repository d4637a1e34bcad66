package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientTest {
    private static final double[] X = {0.3, -1.2, 2.0};
    private static final double[] W = {1.5, 0.25, -0.7};
    private final DjlBackend backend = Fixture.backend();

    /** f(x, w) = Σ x³ w + mean(eˣ). */
    private static Tensor f(Ops ops, Tensor x, Tensor w) {
        return ops.add(
                ops.sum(ops.mul(ops.pow(x, ops.scalar(3, DType.FLOAT64)), w)),
                ops.mean(ops.exp(x)));
    }

    @Test
    void gradientsMatchTheClosedFormInFloat64ForInputsVariablesAndIntermediates() {
        Variable w = backend.variable(Fixture.unique("w"), W, Shape.of(3), DType.FLOAT64, true);
        CompiledFunction step =
                backend.compile(
                        (ops, in) -> {
                            Tensor x = in.get(0);
                            Tensor twice = ops.mul(x, 2.0); // an intermediate: f(twice / 2, w)
                            ValueAndGradients first =
                                    ops.valueAndGradients(
                                            p -> f(ops, p.get(0), p.get(1)),
                                            List.of(x, ops.read(w)));
                            ValueAndGradients second =
                                    ops.valueAndGradients(
                                            p -> f(ops, ops.mul(p.get(0), 0.5), ops.read(w)),
                                            List.of(twice));
                            List<Tensor> out = new ArrayList<>(List.of(first.value()));
                            out.addAll(first.gradients());
                            out.add(second.gradients().get(0));
                            return out;
                        });
        try (Tensor x = backend.tensor(X, Shape.of(3), DType.FLOAT64)) {
            for (int call = 0;
                    call < 2;
                    call++) { // a second call must not accumulate into the first
                List<Tensor> out = step.call(x);
                double value = 0;
                double[] dx = new double[3];
                double[] dw = new double[3];
                double[] dTwice = new double[3];
                for (int i = 0; i < 3; i++) {
                    value += X[i] * X[i] * X[i] * W[i] + Math.exp(X[i]) / 3;
                    dx[i] = 3 * X[i] * X[i] * W[i] + Math.exp(X[i]) / 3;
                    dw[i] = X[i] * X[i] * X[i];
                    dTwice[i] = dx[i] / 2;
                }
                assertEquals(value, out.get(0).scalar(), 1e-12);
                assertArrayEquals(dx, out.get(1).toDoubles(), 1e-12);
                assertArrayEquals(dw, out.get(2).toDoubles(), 1e-12);
                assertArrayEquals(dTwice, out.get(3).toDoubles(), 1e-12);
                assertEquals(DType.FLOAT64, out.get(1).dtype());
                out.forEach(Tensor::close);
            }
        }
        PtNDArray storage = (PtNDArray) ((DjlVariable) w).read().array();
        assertFalse(JniUtils.requiresGrad(storage), "variable storage must not require gradients");
    }

    @Test
    void aTensorThatDoesNotTakePartGetsAZeroGradient() {
        CompiledFunction step =
                backend.compile(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(p -> ops.sum(ops.square(p.get(0))), in);
                            return List.of(
                                    vg.value(), vg.gradients().get(0), vg.gradients().get(1));
                        });
        try (Tensor a = backend.tensor(new double[] {1, 2}, Shape.of(2), DType.FLOAT32);
                Tensor b = backend.tensor(new double[] {3, 4, 5}, Shape.of(3), DType.FLOAT32)) {
            List<Tensor> out = step.call(a, b);
            assertEquals(5.0, out.get(0).scalar(), 1e-6);
            assertArrayEquals(new double[] {2, 4}, out.get(1).toDoubles(), 1e-6);
            assertArrayEquals(new double[] {0, 0, 0}, out.get(2).toDoubles());
            assertEquals(DType.FLOAT32, out.get(2).dtype());
            out.forEach(Tensor::close);
        }
    }

    @Test
    void gradientsFlowThroughCastsBetweenFloatTypes() {
        // DJL's own toType cuts the autograd graph; the backend's cast must not.
        CompiledFunction step =
                backend.compile(
                        (ops, in) ->
                                List.of(
                                        ops.valueAndGradients(
                                                        p ->
                                                                ops.cast(
                                                                        ops.sum(
                                                                                ops.square(
                                                                                        ops.cast(
                                                                                                p
                                                                                                        .get(
                                                                                                                0),
                                                                                                DType
                                                                                                        .FLOAT32))),
                                                                        DType.FLOAT64),
                                                        in)
                                                .gradients()
                                                .get(0)));
        try (Tensor x = backend.tensor(new double[] {0, 1.5, -2}, Shape.of(3), DType.FLOAT64)) {
            List<Tensor> out = step.call(x);
            assertEquals(DType.FLOAT64, out.get(0).dtype());
            assertArrayEquals(new double[] {0, 3, -4}, out.get(0).toDoubles(), 1e-6);
            out.forEach(Tensor::close);
        }
    }

    @Test
    void nestedDifferentiationIsRefusedByName() {
        CompiledFunction step =
                backend.compile(
                        (ops, in) -> {
                            ops.valueAndGradients(
                                    p -> ops.valueAndGradients(q -> ops.sum(q.get(0)), p).value(),
                                    in);
                            return List.of();
                        });
        try (Tensor a = backend.tensor(new double[] {1}, Shape.of(1), DType.FLOAT64)) {
            UnsupportedOperationException e =
                    assertThrows(UnsupportedOperationException.class, () -> step.call(a));
            assertEquals(true, e.getMessage().startsWith("djl:"), e.getMessage());
        }
        assertFalse(JniUtils.isGradMode(), "grad mode must be restored after a failure");
    }
}
