package io.rankwise.models.metrics;

/**
 * Metrics of hard class predictions against gold class indices (GLUE's classification metrics).
 *
 * <ul>
 *   <li>Accuracy: (1/n) Σ_i [ŷ_i = y_i].
 *   <li>F1 of the positive class 1: F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision
 *       TP/(TP+FP) and recall TP/(TP+FN). When TP + FP + FN = 0 (no example is positive, neither
 *       predicted nor gold) F1 is defined as 0, as scikit-learn does by default.
 *   <li>Matthews correlation coefficient in Gorodkin's multi-class form R_K. With the confusion
 *       counts, c = Σ_k C_kk correct predictions, s = n examples, p_k = how often k was predicted
 *       and t_k = how often k is the gold class:
 *       <pre>  MCC = (c·s − Σ_k p_k·t_k) / sqrt((s² − Σ_k p_k²) · (s² − Σ_k t_k²))</pre>
 *       For two classes this is (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)). When a factor
 *       under the root is 0 (all predictions, or all gold labels, are one class) the coefficient is
 *       undefined and is returned as 0, as scikit-learn and the GLUE scripts do.
 * </ul>
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {}

    /** The fraction of examples whose predicted class equals the gold class. */
    public static double accuracy(int[] predicted, int[] gold) {
        Checks.sameNonEmptyLength(predicted.length, gold.length);
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        return (double) correct / gold.length;
    }

    /**
     * F1 of class 1 (the positive class of MRPC and QQP); other class indices count as negative.
     */
    public static double f1(int[] predicted, int[] gold) {
        Checks.sameNonEmptyLength(predicted.length, gold.length);
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean p = predicted[i] == 1, g = gold[i] == 1;
            if (p && g) tp++;
            else if (p) fp++;
            else if (g) fn++;
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }

    /** The Matthews correlation coefficient R_K over all classes that occur; 0 when undefined. */
    public static double matthewsCorrelation(int[] predicted, int[] gold) {
        Checks.sameNonEmptyLength(predicted.length, gold.length);
        Checks.classIndices("predicted", predicted);
        Checks.classIndices("gold", gold);
        int classes = 0;
        for (int i = 0; i < gold.length; i++) {
            classes = Math.max(classes, Math.max(predicted[i], gold[i]) + 1);
        }
        long[] p = new long[classes], t = new long[classes];
        long correct = 0;
        for (int i = 0; i < gold.length; i++) {
            p[predicted[i]]++;
            t[gold[i]]++;
            if (predicted[i] == gold[i]) correct++;
        }
        // Doubles, because s² overflows long only for absurd sizes but the products below can.
        double s = gold.length;
        double pt = 0, pp = 0, tt = 0;
        for (int k = 0; k < classes; k++) {
            pt += (double) p[k] * t[k];
            pp += (double) p[k] * p[k];
            tt += (double) t[k] * t[k];
        }
        double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
        return denominator == 0 ? 0.0 : (correct * s - pt) / denominator;
    }
}
