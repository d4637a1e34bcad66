package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.testing.RefArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DJL's {@code gelu} and {@code layerNorm} run PyTorch's fused kernels; their values and gradients
 * must be those of the closed forms, computed here in float64.
 */
class FusedOpsTest {
    private static final double[] X = {-3.1, -1.0, -0.2, 0.0, 0.45, 1.0, 2.7, 5.5};

    /** Weights of the loss Σ c ⊙ f(x), so that each element's gradient is checked on its own. */
    private static final double[] C = {0.3, -1.1, 0.8, 1.9, -0.4, 0.6, 1.2, -0.7};

    private final DjlBackend backend = Fixture.backend();

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FLOAT32", "FLOAT64"})
    void geluIsTheExactErfFormInValueAndGradient(DType dtype) {
        // The tanh approximation is 1.5e-4 off at x = 1: far outside either tolerance.
        double tolerance = dtype == DType.FLOAT32 ? 2e-6 : 1e-13;
        List<Tensor> out =
                run(
                        (ops, in) -> {
                            Tensor c = in.get(1);
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p -> ops.sum(ops.mul(ops.gelu(p.get(0)), c)),
                                            List.of(in.get(0)));
                            return List.of(ops.gelu(in.get(0)), vg.gradients().get(0));
                        },
                        dtype,
                        X,
                        C);
        double[] value = new double[X.length];
        double[] gradient = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            double x = X[i];
            double cdf = 0.5 * (1 + RefArray.erf(x / Math.sqrt(2)));
            double pdf = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            value[i] = x * cdf;
            gradient[i] = C[i] * (cdf + x * pdf); // d/dx x Φ(x) = Φ(x) + x φ(x)
        }
        assertArrayEquals(value, out.get(0).toDoubles(), tolerance);
        assertArrayEquals(gradient, out.get(1).toDoubles(), tolerance);
        assertEquals(dtype, out.get(0).dtype());
        out.forEach(Tensor::close);
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FLOAT32", "FLOAT64"})
    void layerNormMatchesTheClosedFormInValueAndGradients(DType dtype) {
        int rows = 2;
        int width = 4;
        double eps = 1e-5;
        double[] gamma = {1.5, -0.5, 0.75, 2.0};
        double[] beta = {0.1, 0.0, -0.3, 0.25};
        double tolerance = dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
        List<Tensor> out = runNorm(dtype, Shape.of(rows, width), Shape.of(width), gamma, beta, eps);

        double[] y = new double[rows * width];
        double[] dx = new double[rows * width];
        double[] dGamma = new double[width];
        double[] dBeta = new double[width];
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int j = 0; j < width; j++) {
                mu += X[r * width + j] / width;
            }
            double var = 0;
            for (int j = 0; j < width; j++) {
                double d = X[r * width + j] - mu;
                var += d * d / width;
            }
            double inv = 1 / Math.sqrt(var + eps);
            double[] xHat = new double[width];
            double meanG = 0;
            double meanGxHat = 0;
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                xHat[j] = (X[i] - mu) * inv;
                y[i] = gamma[j] * xHat[j] + beta[j];
                dGamma[j] += C[i] * xHat[j];
                dBeta[j] += C[i];
                double g = C[i] * gamma[j]; // ∂loss/∂x̂
                meanG += g / width;
                meanGxHat += g * xHat[j] / width;
            }
            // ∂loss/∂x = (g − mean g − x̂ · mean(g x̂)) / √(σ² + eps), per row.
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                dx[i] = inv * (C[i] * gamma[j] - meanG - xHat[j] * meanGxHat);
            }
        }
        assertArrayEquals(y, out.get(0).toDoubles(), tolerance);
        assertArrayEquals(dx, out.get(1).toDoubles(), tolerance);
        assertArrayEquals(dGamma, out.get(2).toDoubles(), tolerance);
        assertArrayEquals(dBeta, out.get(3).toDoubles(), tolerance);
        assertEquals(Shape.of(width), out.get(2).shape());
        out.forEach(Tensor::close);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void layerNormWithARowShapedGammaGivesGradientsOfThatShape(int leadingOnes) {
        // γ, β of shape [1, 4] (or [4]) and x [2, 4]: the kernel sees [4] views; the gradients
        // keep the shape of the tensors given, and the values equal those of γ, β of shape [4].
        Shape row = leadingOnes == 1 ? Shape.of(4) : Shape.of(1, 4);
        double[] gamma = {1.5, -0.5, 0.75, 2.0};
        double[] beta = {0.1, 0.0, -0.3, 0.25};
        List<Tensor> shaped = runNorm(DType.FLOAT64, Shape.of(2, 4), row, gamma, beta, 1e-5);
        List<Tensor> flat = runNorm(DType.FLOAT64, Shape.of(2, 4), Shape.of(4), gamma, beta, 1e-5);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(flat.get(i).toDoubles(), shaped.get(i).toDoubles(), 0);
        }
        assertEquals(row, shaped.get(2).shape());
        assertEquals(row, shaped.get(3).shape());
        shaped.forEach(Tensor::close);
        flat.forEach(Tensor::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gamma", "beta"})
    void layerNormWithMixedDtypesFailsAsTheCompositionDoes(String which) {
        CompiledFunction f =
                backend.compile(
                        (ops, in) -> List.of(ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5)));
        try (Tensor x = backend.tensor(new double[] {1, 2, 3}, Shape.of(1, 3), DType.FLOAT32);
                Tensor g =
                        backend.tensor(
                                new double[] {1, 1, 1},
                                Shape.of(3),
                                which.equals("gamma") ? DType.FLOAT64 : DType.FLOAT32);
                Tensor b =
                        backend.tensor(
                                new double[] {0, 0, 0},
                                Shape.of(3),
                                which.equals("beta") ? DType.FLOAT64 : DType.FLOAT32)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> f.call(x, g, b));
            assertEquals(true, e.getMessage().contains("FLOAT64"), e.getMessage());
        }
    }

    /** Runs layerNorm on X[:rows·width] and differentiates Σ C ⊙ layerNorm with respect to all. */
    private List<Tensor> runNorm(
            DType dtype, Shape xShape, Shape rowShape, double[] gamma, double[] beta, double eps) {
        int n = (int) xShape.size();
        double[] x = java.util.Arrays.copyOf(X, n);
        double[] c = java.util.Arrays.copyOf(C, n);
        CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            Tensor weights = in.get(3);
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            p ->
                                                    ops.sum(
                                                            ops.mul(
                                                                    ops.layerNorm(
                                                                            p.get(0), p.get(1),
                                                                            p.get(2), eps),
                                                                    weights)),
                                            in.subList(0, 3));
                            List<Tensor> result = new ArrayList<>();
                            result.add(ops.layerNorm(in.get(0), in.get(1), in.get(2), eps));
                            result.addAll(vg.gradients());
                            return result;
                        });
        try (Tensor tx = backend.tensor(x, xShape, dtype);
                Tensor tg = backend.tensor(gamma, rowShape, dtype);
                Tensor tb = backend.tensor(beta, rowShape, dtype);
                Tensor tc = backend.tensor(c, xShape, dtype)) {
            return f.call(tx, tg, tb, tc);
        }
    }

    private List<Tensor> run(
            io.rankwise.api.StepFunction function, DType dtype, double[] x, double[] c) {
        CompiledFunction f = backend.compile(function);
        try (Tensor tx = backend.tensor(x, Shape.of(x.length), dtype);
                Tensor tc = backend.tensor(c, Shape.of(c.length), dtype)) {
            return f.call(tx, tc);
        }
    }
}
