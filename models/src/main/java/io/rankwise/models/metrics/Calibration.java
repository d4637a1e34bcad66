package io.rankwise.models.metrics;

/**
 * Metrics of predicted class probabilities p_i = (p_i1, …, p_iK) against gold classes y_i; they
 * measure how well a model's confidence matches its accuracy, which is what IVON's posterior
 * averaging is meant to improve.
 *
 * <ul>
 *   <li>Negative log-likelihood: NLL = −(1/n) Σ_i log p_{i,y_i} (natural log). A zero probability
 *       on the gold class gives +∞; no clipping is applied, so the number is honest.
 *   <li>Brier score (multi-class): BS = (1/n) Σ_i Σ_k (p_ik − [k = y_i])², between 0 and 2.
 *   <li>Expected calibration error (Guo et al. 2017): with confidence conf_i = max_k p_ik,
 *       prediction ŷ_i = argmax_k p_ik (the lowest index on ties) and M equal-width bins B_m = {i :
 *       conf_i ∈ ((m−1)/M, m/M]},
 *       <pre>  ECE = Σ_m |B_m|/n · |acc(B_m) − conf(B_m)|</pre>
 *       where acc(B_m) is the fraction of correct predictions in the bin and conf(B_m) the mean
 *       confidence in it; empty bins contribute 0. The default is M = 15.
 * </ul>
 *
 * <p>Each row must have the same length K ≥ 2, entries in [0, 1] and a sum within {@link
 * #SUM_TOLERANCE} of 1 (float32 softmax outputs are accepted); gold classes must lie in [0, K).
 */
public final class Calibration {
    /** How far a row's sum may be from 1 before it is rejected as not a probability vector. */
    public static final double SUM_TOLERANCE = 1e-3;

    /** The number of bins Guo et al. (2017) use for the ECE. */
    public static final int DEFAULT_BINS = 15;

    private Calibration() {}

    /**
     * Mean negative log-likelihood of the gold classes (nats); +∞ if a gold class has probability
     * 0.
     */
    public static double negativeLogLikelihood(double[][] probabilities, int[] gold) {
        check(probabilities, gold);
        double sum = 0;
        for (int i = 0; i < gold.length; i++) {
            sum -= Math.log(probabilities[i][gold[i]]);
        }
        return sum / gold.length;
    }

    /**
     * Multi-class Brier score: mean over examples of the squared distance to the one-hot gold
     * vector.
     */
    public static double brierScore(double[][] probabilities, int[] gold) {
        check(probabilities, gold);
        double sum = 0;
        for (int i = 0; i < gold.length; i++) {
            for (int k = 0; k < probabilities[i].length; k++) {
                double diff = probabilities[i][k] - (k == gold[i] ? 1.0 : 0.0);
                sum += diff * diff;
            }
        }
        return sum / gold.length;
    }

    /** Expected calibration error with {@value #DEFAULT_BINS} equal-width bins. */
    public static double expectedCalibrationError(double[][] probabilities, int[] gold) {
        return expectedCalibrationError(probabilities, gold, DEFAULT_BINS);
    }

    /** Expected calibration error with the given number of equal-width confidence bins. */
    public static double expectedCalibrationError(double[][] probabilities, int[] gold, int bins) {
        check(probabilities, gold);
        if (bins < 1) {
            throw new IllegalArgumentException("bins = " + bins + "; expected at least 1");
        }
        long[] count = new long[bins];
        double[] correct = new double[bins], confidence = new double[bins];
        for (int i = 0; i < gold.length; i++) {
            double[] p = probabilities[i];
            int argmax = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[argmax]) argmax = k;
            }
            int b = bin(p[argmax], bins);
            count[b]++;
            confidence[b] += p[argmax];
            if (argmax == gold[i]) correct[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                // |B|/n · |acc − conf| = |Σ correct − Σ conf| / n
                ece += Math.abs(correct[b] - confidence[b]) / gold.length;
            }
        }
        return ece;
    }

    /**
     * The bin m−1 (0-based) with conf ∈ ((m−1)/M, m/M]; confidences of 0 fall into the first bin.
     */
    static int bin(double conf, int bins) {
        int b = (int) Math.ceil(conf * bins) - 1;
        b = Math.max(0, Math.min(bins - 1, b));
        // conf·M can round across an edge; settle on the bin whose interval really holds conf.
        while (b > 0 && conf <= (double) b / bins) b--;
        while (b < bins - 1 && conf > (double) (b + 1) / bins) b++;
        return b;
    }

    private static void check(double[][] probabilities, int[] gold) {
        Checks.sameNonEmptyLength(probabilities.length, gold.length);
        int classes = probabilities[0].length;
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "probability rows need at least 2 classes; got " + classes);
        }
        for (int i = 0; i < gold.length; i++) {
            double[] p = probabilities[i];
            if (p.length != classes) {
                throw new IllegalArgumentException(
                        "probabilities["
                                + i
                                + "] has "
                                + p.length
                                + " classes; row 0 has "
                                + classes);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                if (!(p[k] >= 0 && p[k] <= 1)) {
                    throw new IllegalArgumentException(
                            "probabilities["
                                    + i
                                    + "]["
                                    + k
                                    + "] = "
                                    + p[k]
                                    + "; expected a value in [0, 1]");
                }
                sum += p[k];
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException(
                        "probabilities["
                                + i
                                + "] sums to "
                                + sum
                                + "; expected 1 (± "
                                + SUM_TOLERANCE
                                + ")");
            }
            if (gold[i] < 0 || gold[i] >= classes) {
                throw new IllegalArgumentException(
                        "gold["
                                + i
                                + "] = "
                                + gold[i]
                                + "; expected a class index in [0, "
                                + classes
                                + ")");
            }
        }
    }
}
