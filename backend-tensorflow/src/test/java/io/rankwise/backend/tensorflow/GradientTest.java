package io.rankwise.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graph-mode gradients: a closed form in float64, and, for every op whose C++ gradient TF Java
 * relies on, that building and running the gradient works (no "No gradient defined").
 * Finite-difference checks of every op are the conformance suite's job.
 */
class GradientTest {
    private static TfBackend backend;

    @BeforeAll
    static void create() {
        backend = (TfBackend) new TfBackendProvider().create(Device.cpu());
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** f(x, W) = Σ tanh(x W): ∂f/∂W = xᵀ (1 − tanh²(xW)), ∂f/∂x = (1 − tanh²(xW)) Wᵀ. */
    @Test
    void matchesTheClosedFormInFloat64() {
        double[] x = {0.3, -1.2, 0.7, 2.0, -0.4, 0.1}; // 2×3
        double[] w = {0.5, -0.25, 1.5, 0.75, -1.0, 0.2}; // 3×2
        List<double[]> out =
                run(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p -> ops.sum(ops.tanh(ops.matmul(p.get(0), p.get(1)))),
                                            in);
                            List<Tensor> r = new ArrayList<>(vg.gradients());
                            r.add(0, vg.value());
                            return r;
                        },
                        List.of(x, w),
                        List.of(Shape.of(2, 3), Shape.of(3, 2)));

        double[] z = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    z[i * 2 + j] += x[i * 3 + k] * w[k * 2 + j];
                }
            }
        }
        double value = 0;
        double[] s = new double[4];
        for (int i = 0; i < 4; i++) {
            value += Math.tanh(z[i]);
            s[i] = 1 - Math.tanh(z[i]) * Math.tanh(z[i]);
        }
        double[] dx = new double[6];
        double[] dw = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 2; j++) {
                    dx[i * 3 + k] += s[i * 2 + j] * w[k * 2 + j];
                    dw[k * 2 + j] += x[i * 3 + k] * s[i * 2 + j];
                }
            }
        }
        assertEquals(value, out.get(0)[0], 1e-14);
        assertArrayEquals(dx, out.get(1), 1e-14);
        assertArrayEquals(dw, out.get(2), 1e-14);
    }

    /** Tensors the value does not depend on, or only through a comparison, get zero gradients. */
    @Test
    void unreachableAndNonDifferentiablePathsGiveZeros() {
        List<double[]> out =
                run(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p -> {
                                                Tensor mask =
                                                        ops.greater(
                                                                p.get(1),
                                                                ops.scalar(0, DType.FLOAT64));
                                                return ops.sum(
                                                        ops.where(
                                                                mask,
                                                                ops.square(p.get(0)),
                                                                ops.zeros(
                                                                        Shape.of(2),
                                                                        DType.FLOAT64)));
                                            },
                                            List.of(in.get(0), in.get(0), in.get(0)));
                            return vg.gradients();
                        },
                        List.of(new double[] {1.5, -2}),
                        List.of(Shape.of(2)));
        assertArrayEquals(new double[] {3, 0}, out.get(0), 1e-15);
        assertArrayEquals(new double[] {0, 0}, out.get(1), 0, "only through the mask");
        assertArrayEquals(new double[] {0, 0}, out.get(2), 0, "not used at all");
    }

    static Stream<Arguments> ops() {
        DType f = DType.FLOAT64;
        return Stream.of(
                op("Erf", (o, x) -> o.erf(x)),
                op(
                        "BatchMatMulV2",
                        (o, x) ->
                                o.matmul(
                                        o.reshape(x, 2, 1, 3),
                                        o.transpose(o.reshape(x, 2, 1, 3), 0, 2, 1))),
                op("MatMul", (o, x) -> o.matmul(x, o.transpose(x, 1, 0))),
                op(
                        "GatherV2",
                        (o, x) ->
                                o.gather(
                                        x,
                                        o.constant(new long[] {2, 0, 2}, Shape.of(3), DType.INT32),
                                        1)),
                op("SelectV2", (o, x) -> o.where(o.greater(x, o.scalar(0, f)), x, o.neg(x))),
                op("Max", (o, x) -> o.max(x, new int[] {-1}, false)),
                op("Cast", (o, x) -> o.cast(o.cast(x, DType.FLOAT32), f)),
                op("Softmax", (o, x) -> o.softmax(x, 0)),
                op("LogSoftmax", (o, x) -> o.logSoftmax(o.reshape(x, 2, 1, 3), -1)),
                op("Pow", (o, x) -> o.pow(o.abs(x), o.scalar(1.5, f))),
                op("Maximum", (o, x) -> o.maximum(x, o.scalar(0.1, f))),
                op("Minimum", (o, x) -> o.minimum(x, o.scalar(0.1, f))),
                op("Rsqrt", (o, x) -> o.rsqrt(o.add(o.square(x), 1.0))),
                op("Sigmoid", (o, x) -> o.sigmoid(x)),
                op("Tanh", (o, x) -> o.tanh(x)),
                op("Slice", (o, x) -> o.slice(x, new long[] {0, 1}, new long[] {-1, 2})),
                op("ConcatV2", (o, x) -> o.concat(List.of(x, o.square(x)), 0)),
                op("Transpose", (o, x) -> o.transpose(x, 1, 0)),
                op("Reshape", (o, x) -> o.reshape(x, -1)),
                op("Sum", (o, x) -> o.sum(x, new int[] {0}, true)),
                op("Mean", (o, x) -> o.mean(x, new int[] {1}, false)),
                op(
                        "OneHot (not differentiable)",
                        (o, x) ->
                                o.mul(
                                        x,
                                        o.oneHot(
                                                o.constant(
                                                        new long[] {2, 0},
                                                        Shape.of(2),
                                                        DType.INT64),
                                                3,
                                                f))),
                op(
                        "random draws",
                        (o, x) ->
                                o.mul(
                                        x,
                                        o.randomNormal(
                                                Shape.of(2, 3),
                                                f,
                                                o.constant(
                                                        new long[] {1, 2},
                                                        Shape.of(2),
                                                        DType.INT64),
                                                0,
                                                1))),
                op(
                        "layerNorm, gelu",
                        (o, x) ->
                                o.gelu(
                                        o.layerNorm(
                                                x,
                                                o.ones(Shape.of(3), f),
                                                o.zeros(Shape.of(3), f),
                                                1e-5))));
    }

    private static Arguments op(String name, BiFunction<Ops, Tensor, Tensor> f) {
        return Arguments.of(name, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientExistsAndIsFinite(String name, BiFunction<Ops, Tensor, Tensor> f) {
        double[] x = {0.3, -1.2, 0.7, 2.0, -0.4, 0.1};
        List<double[]> out =
                run(
                        (ops, in) ->
                                ops.valueAndGradients(
                                                p -> ops.sum(ops.square(f.apply(ops, p.get(0)))),
                                                in)
                                        .gradients(),
                        List.of(x),
                        List.of(Shape.of(2, 3)));
        assertEquals(6, out.get(0).length, name);
        boolean nonZero = false;
        for (double d : out.get(0)) {
            assertTrue(Double.isFinite(d), name + ": gradient " + d);
            nonZero |= d != 0;
        }
        assertTrue(nonZero, name + ": the gradient is all zeros");
    }

    private static List<double[]> run(
            io.rankwise.api.StepFunction fn, List<double[]> inputs, List<Shape> shapes) {
        List<Tensor> in = new ArrayList<>();
        try (CompiledFunction f = backend.compile(fn)) {
            for (int i = 0; i < inputs.size(); i++) {
                in.add(backend.tensor(inputs.get(i), shapes.get(i), DType.FLOAT64));
            }
            List<double[]> values = new ArrayList<>();
            for (Tensor t : f.call(in)) {
                values.add(t.toDoubles());
                t.close();
            }
            return values;
        } finally {
            in.forEach(Tensor::close);
        }
    }
}
