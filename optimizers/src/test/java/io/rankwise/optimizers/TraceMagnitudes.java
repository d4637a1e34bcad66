package io.rankwise.optimizers;

import java.util.ArrayList;
import java.util.List;

/**
 * The magnitude of the terms behind each number of an IVON trace ("parts"), computed in float64
 * from the trace alone: what a float32 run's rounding error scales with. A float32 result carries a
 * rounding error of a few units in the last place of the terms that were summed to make it, not of
 * the sum: where the terms cancel (a gradient component of +0.8 and −0.8 over the rows) the sum is
 * small and a bound relative to it alone is far too tight. So each compared number gets the same
 * recurrence as the number itself, with every term replaced by its magnitude (the running error
 * analysis of Wilkinson; Higham, Accuracy and Stability of Numerical Algorithms, §3.3). For step t,
 * parameter element e (W flattened row-major, then b), and the reference state before the step (m,
 * h from the trace):
 *
 * <pre>
 *   σ = 1/√(λ(h + δ));  Θ = P_{t−1} + σ|ε|·(1 + ½ H_{t−1}/(h + δ))     parts of θ = m + σε
 *   R_ik = Σ_l |x_il| Θ_W,lk + Θ_b,k + |y_ik|                          parts of the residual
 *   A_W,jk = (1/n) Σ_i |x_ij| R_ik,  A_b,k = (1/n) Σ_i R_ik            parts of the gradient
 *   loss parts = (0.5/n) Σ_ik R_ik²
 *   Ā = mean over samples of A;  M_t = β₁ M_{t−1} + (1 − β₁) Ā          parts of the momentum
 *   F = √(λ(h + δ))·mean_s(|ε_s| A_s)·(1 + ½ H_{t−1}/(h + δ))   (price)  or  λ·mean_s(A_s²)  (gradsq)
 *   H_t = β₂ H_{t−1} + (1 − β₂) F + ½(1 − β₂)²(H_{t−1} + F)²/(h + δ)   parts of the Hessian
 *   S_t = lr'·(M_t/d + δ P_{t−1})/(h_t + δ)                             parts of the step
 *   P_t = P_{t−1} + S_t·(1 + H_t/(h_t + δ))                              parts of the mean
 * </pre>
 *
 * with P_0 = |m_0|, M_0 = 0, H_0 = h_0, lr' = lr (h₀ + δ) when rescaling, d = 1 − β₁ᵗ when
 * debiasing, and h_t the trace's Hessian after the step. The factors (1 + ½H/(h + δ)) and (1 +
 * H_t/(h_t + δ)) carry the error of h into σ, √(λ(h + δ)) and the division by h + δ. Clipping is
 * left out: it is 1-Lipschitz, so the unclipped step's parts bound the clipped step's error too.
 * Each list holds, per step, the parts of the W elements followed by the b elements.
 */
record TraceMagnitudes(
        double[] loss, List<double[]> momentum, List<double[]> hess, List<double[]> mean) {

    static TraceMagnitudes of(Trace trace) {
        IvonSettings s = trace.settings();
        double[][] x = trace.x();
        double[][] y = trace.y();
        int n = x.length;
        int dIn = x[0].length;
        int dOut = y[0].length;
        int size = dIn * dOut + dOut;
        double lambda = s.ess();
        double delta = s.weightDecay();
        double lr = s.rescaleLr() ? s.lr() * (s.hessInit() + delta) : s.lr();

        double[] m = concat(Trace.flat(trace.w0()), trace.b0());
        double[] h = new double[size];
        java.util.Arrays.fill(h, s.hessInit());
        double[] pMean = abs(m);
        double[] pMomentum = new double[size];
        double[] pHess = h.clone();

        List<List<List<double[]>>> draws = trace.draws();
        double[] loss = new double[trace.steps().size()];
        List<double[]> momenta = new ArrayList<>();
        List<double[]> hessians = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        for (int t = 1; t <= trace.steps().size(); t++) {
            var step = trace.steps().get(t - 1);
            List<List<double[]>> samples = draws.get(t - 1);
            int count = samples.size();
            double[] gradParts = new double[size];
            double[] curvatureParts = new double[size];
            double lossParts = 0;
            for (List<double[]> sample : samples) {
                double[] eps = concat(sample.get(0), sample.get(1));
                double[] theta = new double[size];
                for (int e = 0; e < size; e++) {
                    double sigma = 1 / Math.sqrt(lambda * (h[e] + delta));
                    theta[e] =
                            pMean[e]
                                    + sigma
                                            * Math.abs(eps[e])
                                            * (1 + 0.5 * pHess[e] / (h[e] + delta));
                }
                double[][] r = new double[n][dOut];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < dOut; k++) {
                        double v = theta[dIn * dOut + k] + Math.abs(y[i][k]);
                        for (int l = 0; l < dIn; l++) {
                            v += Math.abs(x[i][l]) * theta[l * dOut + k];
                        }
                        r[i][k] = v;
                        lossParts += 0.5 / n * v * v;
                    }
                }
                double[] a = new double[size];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < dOut; k++) {
                        for (int j = 0; j < dIn; j++) {
                            a[j * dOut + k] += Math.abs(x[i][j]) * r[i][k] / n;
                        }
                        a[dIn * dOut + k] += r[i][k] / n;
                    }
                }
                for (int e = 0; e < size; e++) {
                    gradParts[e] += a[e] / count;
                    curvatureParts[e] +=
                            s.hessApprox().equals("price")
                                    ? Math.sqrt(lambda * (h[e] + delta))
                                            * Math.abs(eps[e])
                                            * a[e]
                                            * (1 + 0.5 * pHess[e] / (h[e] + delta))
                                            / count
                                    : lambda * a[e] * a[e] / count;
                }
            }
            loss[t - 1] = lossParts / count;

            double[] hAfter =
                    concat(
                            Trace.values(step.get("hess_after"), "W"),
                            Trace.values(step.get("hess_after"), "b"));
            double d = s.debias() ? 1 - Math.pow(s.beta1(), t) : 1;
            double q = 0.5 * (1 - s.beta2()) * (1 - s.beta2());
            double[] nextMomentum = new double[size];
            double[] nextHess = new double[size];
            double[] nextMean = new double[size];
            for (int e = 0; e < size; e++) {
                nextMomentum[e] = s.beta1() * pMomentum[e] + (1 - s.beta1()) * gradParts[e];
                double sum = pHess[e] + curvatureParts[e];
                nextHess[e] =
                        s.beta2() * pHess[e]
                                + (1 - s.beta2()) * curvatureParts[e]
                                + q * sum * sum / (h[e] + delta);
                double stepParts =
                        lr * (nextMomentum[e] / d + delta * pMean[e]) / (hAfter[e] + delta);
                nextMean[e] = pMean[e] + stepParts * (1 + nextHess[e] / (hAfter[e] + delta));
            }
            pMomentum = nextMomentum;
            pHess = nextHess;
            pMean = nextMean;
            momenta.add(pMomentum);
            hessians.add(pHess);
            means.add(pMean);
            h = hAfter;
        }
        return new TraceMagnitudes(loss, momenta, hessians, means);
    }

    /** The parts of parameter {@code param} (0: W, 1: b) from a step's list entry. */
    static double[] of(double[] all, int param, int dIn, int dOut) {
        return param == 0
                ? java.util.Arrays.copyOfRange(all, 0, dIn * dOut)
                : java.util.Arrays.copyOfRange(all, dIn * dOut, dIn * dOut + dOut);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] abs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }
}
