package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.NativeResource;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The arrays a differentiated function makes are freed when {@code valueAndGradients} returns,
 * except its result and the values it wrote to variables; gradients are still exact.
 */
class AutodiffScopeTest {
    private final DjlBackend backend = Fixture.backend();

    @Test
    void intermediatesOfTheFunctionAreFreedAndTheGradientIsStillExact() {
        List<Tensor> seen = new ArrayList<>();
        CompiledFunction step =
                backend.compile(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p -> {
                                                // f(x) = Σ (eˣ)²: exp's output is saved by square.
                                                Tensor e = ops.exp(p.get(0));
                                                seen.add(e);
                                                return ops.sum(ops.square(e));
                                            },
                                            in);
                            seen.add(vg.value());
                            seen.add(vg.gradients().get(0));
                            assertTrue(released(seen.get(0)), "intermediate still held");
                            assertFalse(released(seen.get(1)), "value freed");
                            assertFalse(released(seen.get(2)), "gradient freed");
                            return List.of(vg.value(), vg.gradients().get(0));
                        });
        double[] x = {0.5, -1.0, 2.0};
        try (Tensor t = backend.tensor(x, Shape.of(3), DType.FLOAT64)) {
            List<Tensor> out = step.call(t);
            double value = 0;
            double[] gradient = new double[3];
            for (int i = 0; i < 3; i++) {
                value += Math.exp(2 * x[i]);
                gradient[i] = 2 * Math.exp(2 * x[i]); // d/dx e^{2x}
            }
            assertEquals(value, out.get(0).scalar(), 1e-12);
            assertArrayEquals(gradient, out.get(1).toDoubles(), 1e-12);
            out.forEach(Tensor::close);
        }
    }

    @Test
    void aVariableReadReturnedAsTheResultAndAValueWrittenInsideSurvive() {
        Variable total =
                backend.variable(
                        Fixture.unique("total"),
                        new double[] {4.0},
                        Shape.scalar(),
                        DType.FLOAT64,
                        true);
        Variable written =
                backend.variable(
                        Fixture.unique("written"),
                        new double[] {0, 0},
                        Shape.of(2),
                        DType.FLOAT64,
                        false);
        CompiledFunction step =
                backend.compile(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p -> {
                                                ops.assign(written, ops.mul(p.get(0), 3.0));
                                                return ops.read(total);
                                            },
                                            in);
                            return List.of(vg.value(), vg.gradients().get(0));
                        });
        try (Tensor x = backend.tensor(new double[] {1, 2}, Shape.of(2), DType.FLOAT64)) {
            for (int call = 0; call < 2; call++) {
                List<Tensor> out = step.call(x);
                assertEquals(4.0, out.get(0).scalar());
                assertArrayEquals(new double[] {0, 0}, out.get(1).toDoubles());
                out.forEach(Tensor::close);
                assertArrayEquals(new double[] {4.0}, total.toDoubles());
                assertArrayEquals(new double[] {3, 6}, written.toDoubles());
            }
        }
    }

    private static boolean released(Tensor t) {
        return ((NativeResource<?>) ((DjlTensor) t).array()).isReleased();
    }
}
