package io.rankwise.optimizers;

import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.testing.Backends;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AdamW on every backend against the same update written in plain Java float64. */
class AdamReferenceTest {
    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void matchesPlainJavaFloat64OverSeveralSteps(String backendName) {
        int n = 12;
        int dIn = 4;
        int dOut = 3;
        HostRandom random = new HostRandom(5);
        double[] x = random.normal(n * dIn, 0, 1);
        double[] y = random.normal(n * dOut, 0, 1);
        double[] w = random.normal(dIn * dOut, 0, 0.5);
        double[] b = random.normal(dOut, 0, 0.5);
        double lr = 0.05;
        double beta1 = 0.8;
        double beta2 = 0.95;
        double eps = 1e-6;
        double decay = 0.1;
        var adam =
                new AdamProvider()
                        .create(
                                Map.of(
                                        "lr",
                                        "0.05",
                                        "beta1",
                                        "0.8",
                                        "beta2",
                                        "0.95",
                                        "eps",
                                        "1e-6",
                                        "weight_decay",
                                        "0.1"));
        try (RegressionRun run =
                new RegressionRun(
                        Backends.get(backendName),
                        adam,
                        x,
                        y,
                        n,
                        dIn,
                        dOut,
                        w,
                        b,
                        DType.FLOAT64,
                        1,
                        List.of())) {
            double[][] params = {w.clone(), b.clone()};
            double[][] m = {new double[w.length], new double[b.length]};
            double[][] v = {new double[w.length], new double[b.length]};
            for (int t = 1; t <= 6; t++) {
                double[][] g = gradients(x, y, params[0], params[1], n, dIn, dOut);
                for (int p = 0; p < 2; p++) {
                    for (int j = 0; j < params[p].length; j++) {
                        m[p][j] = beta1 * m[p][j] + (1 - beta1) * g[p][j];
                        v[p][j] = beta2 * v[p][j] + (1 - beta2) * g[p][j] * g[p][j];
                        double mHat = m[p][j] / (1 - Math.pow(beta1, t));
                        double vHat = v[p][j] / (1 - Math.pow(beta2, t));
                        params[p][j] -=
                                lr * mHat / (Math.sqrt(vHat) + eps) + lr * decay * params[p][j];
                    }
                }
                run.step(t);
                IvonTraceTest.assertAllClose(
                        params[0], run.w.toDoubles(), 1e-12, backendName + " step " + t + " W");
                IvonTraceTest.assertAllClose(
                        params[1], run.b.toDoubles(), 1e-12, backendName + " step " + t + " b");
            }
        }
    }

    /** ∂/∂W and ∂/∂b of ½ · mean_rows Σ_cols (x W + b − y)², in float64. */
    static double[][] gradients(
            double[] x, double[] y, double[] w, double[] b, int n, int dIn, int dOut) {
        double[] gw = new double[w.length];
        double[] gb = new double[b.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dOut; c++) {
                double r = b[c] - y[i * dOut + c];
                for (int k = 0; k < dIn; k++) {
                    r += x[i * dIn + k] * w[k * dOut + c];
                }
                gb[c] += r / n;
                for (int k = 0; k < dIn; k++) {
                    gw[k * dOut + c] += x[i * dIn + k] * r / n;
                }
            }
        }
        return new double[][] {gw, gb};
    }
}
