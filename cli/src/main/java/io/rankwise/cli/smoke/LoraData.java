package io.rankwise.cli.smoke;

import io.rankwise.api.HostRandom;

/**
 * The host-side numbers of a {@link LoraProblem}: inputs x, frozen W, the planted target y = x (W +
 * U V), and the adapter's start P₀, Q₀ (λ₀ = 0). Drawn from one seed, so that every backend, and
 * the hand-written engine code in the benchmark, starts from the same values.
 *
 * @param size the dimensions
 * @param x inputs, batch × d_in, row-major
 * @param w frozen weights, d_in × d_out
 * @param y targets, batch × d_out
 * @param p0 initial P, d_in × r, N(0, 0.02²)
 * @param q0 initial Q, r × d_out, N(0, 0.02²)
 */
public record LoraData(
        LoraProblem.Size size, double[] x, double[] w, double[] y, double[] p0, double[] q0) {

    /** Draws the data for {@code size} from {@code seed}. */
    public static LoraData generate(LoraProblem.Size size, long seed) {
        HostRandom random = new HostRandom(seed);
        int n = size.batch();
        int dIn = size.dIn();
        int dOut = size.dOut();
        int r = size.rank();
        double[] x = random.normal(n * dIn, 0, 1);
        double[] w = random.normal(dIn * dOut, 0, 1 / Math.sqrt(dIn));
        double[] u = random.normal(dIn * r, 0, 1 / Math.sqrt(dIn));
        double[] v = random.normal(r * dOut, 0, 1);
        double[] p0 = random.normal(dIn * r, 0, 0.02);
        double[] q0 = random.normal(r * dOut, 0, 0.02);
        double[] target = w.clone();
        for (int i = 0; i < dIn; i++) {
            for (int k = 0; k < r; k++) {
                double uik = u[i * r + k];
                for (int j = 0; j < dOut; j++) {
                    target[i * dOut + j] += uik * v[k * dOut + j];
                }
            }
        }
        double[] y = new double[n * dOut];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < dIn; i++) {
                double xbi = x[b * dIn + i];
                for (int j = 0; j < dOut; j++) {
                    y[b * dOut + j] += xbi * target[i * dOut + j];
                }
            }
        }
        return new LoraData(size, x, w, y, p0, q0);
    }
}
