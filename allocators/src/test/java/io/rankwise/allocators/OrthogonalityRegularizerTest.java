package io.rankwise.allocators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.allocators.adapters.OrthogonalityRegularizer;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R = (1/2K) Σ_k (‖Q_k Q_kᵀ − I‖_F + ‖P_kᵀ P_k − I‖_F) and its gradient, against plain-Java
 * float64: ∂‖QQᵀ − I‖/∂Q = 2 (QQᵀ − I) Q / ‖QQᵀ − I‖ and ∂‖PᵀP − I‖/∂P = 2 P (PᵀP − I) / ‖PᵀP − I‖.
 */
class OrthogonalityRegularizerTest {
    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void valueAndGradientMatchFloat64(String backendName) {
        Backend backend = Backends.get(backendName);
        HostRandom random = new HostRandom(4);
        int[][] shapes = {{5, 3, 4}, {2, 3, 6}}; // d_out, r, d_in
        List<double[]> ps = new ArrayList<>();
        List<double[]> qs = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        double expected = 0;
        List<double[]> expectedGrads = new ArrayList<>();
        for (int[] s : shapes) {
            double[] p = random.normal(s[0] * s[1], 0, 0.7);
            double[] q = random.normal(s[1] * s[2], 0, 0.7);
            ps.add(p);
            qs.add(q);
            inputs.add(backend.tensor(p, Shape.of(s[0], s[1]), DType.FLOAT64));
            inputs.add(backend.tensor(random.normal(s[1], 0, 1), Shape.of(s[1]), DType.FLOAT64));
            inputs.add(backend.tensor(q, Shape.of(s[1], s[2]), DType.FLOAT64));
            // Q Qᵀ − I (r × r) and Pᵀ P − I (r × r)
            double[] eq = gramMinusIdentity(q, s[1], s[2], false);
            double[] ep = gramMinusIdentity(p, s[0], s[1], true);
            double nq = norm(eq);
            double np = norm(ep);
            expected += nq + np;
            double[] gp = new double[p.length]; // 2 P E_p / ‖E_p‖
            for (int i = 0; i < s[0]; i++) {
                for (int j = 0; j < s[1]; j++) {
                    for (int k = 0; k < s[1]; k++) {
                        gp[i * s[1] + j] += 2 * p[i * s[1] + k] * ep[k * s[1] + j] / np;
                    }
                }
            }
            double[] gq = new double[q.length]; // 2 E_q Q / ‖E_q‖
            for (int i = 0; i < s[1]; i++) {
                for (int j = 0; j < s[2]; j++) {
                    for (int k = 0; k < s[1]; k++) {
                        gq[i * s[2] + j] += 2 * eq[i * s[1] + k] * q[k * s[2] + j] / nq;
                    }
                }
            }
            expectedGrads.add(gp);
            expectedGrads.add(gq);
        }
        double scale = 1.0 / (2 * shapes.length);
        expected *= scale;
        var f =
                backend.compile(
                        (ops, in) -> {
                            ValueAndGradients vg =
                                    ops.valueAndGradients(
                                            v ->
                                                    OrthogonalityRegularizer.penalty(
                                                            ops,
                                                            List.of(
                                                                    v.subList(0, 3),
                                                                    v.subList(3, 6))),
                                            in);
                            List<Tensor> out = new ArrayList<>(List.of(vg.value()));
                            out.addAll(vg.gradients());
                            return out;
                        });
        List<Tensor> out = f.call(inputs);
        assertEquals(expected, out.get(0).scalar(), 1e-12 * expected, backendName + ": R");
        int[] gradientIndex = {1, 3, 4, 6}; // P0, Q0, P1, Q1 among the outputs
        for (int g = 0; g < 4; g++) {
            double[] got = out.get(gradientIndex[g]).toDoubles();
            double[] want = expectedGrads.get(g);
            for (int i = 0; i < want.length; i++) {
                assertEquals(
                        want[i] * scale,
                        got[i],
                        1e-12,
                        backendName + ": gradient " + g + "[" + i + "]");
            }
        }
        double[] lambdaGradient = out.get(2).toDoubles();
        for (double v : lambdaGradient) {
            assertEquals(0, v, 0, backendName + ": Λ does not enter R");
        }
        out.forEach(Tensor::close);
        inputs.forEach(Tensor::close);
        f.close();
    }

    /**
     * For Q (rows × cols): Q Qᵀ − I (rows × rows); for P with transposeFirst: Pᵀ P − I (cols ×
     * cols).
     */
    private static double[] gramMinusIdentity(
            double[] m, int rows, int cols, boolean transposeFirst) {
        int n = transposeFirst ? cols : rows;
        int inner = transposeFirst ? rows : cols;
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < inner; k++) {
                    s +=
                            transposeFirst
                                    ? m[k * cols + i] * m[k * cols + j]
                                    : m[i * cols + k] * m[j * cols + k];
                }
                e[i * n + j] = s - (i == j ? 1 : 0);
            }
        }
        return e;
    }

    private static double norm(double[] e) {
        double s = 0;
        for (double v : e) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
