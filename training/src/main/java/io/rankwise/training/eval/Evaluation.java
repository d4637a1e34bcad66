package io.rankwise.training.eval;

import io.rankwise.models.metrics.Calibration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one evaluation: the task's own (accuracy, F1, Matthews correlation, Pearson,
 * Spearman) plus, for classification, the negative log-likelihood, Brier score and expected
 * calibration error (15 bins) of the predicted probabilities.
 *
 * @param split the split evaluated
 * @param values metric name → value, in a stable order
 */
public record Evaluation(String split, Map<String, Double> values) {

    /** Copies the map, keeping its order. */
    public Evaluation {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Calibration metrics of class probabilities against gold class indices. */
    static Map<String, Double> calibration(double[][] probabilities, int[] gold) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nll", Calibration.negativeLogLikelihood(probabilities, gold));
        m.put("brier", Calibration.brierScore(probabilities, gold));
        m.put("ece", Calibration.expectedCalibrationError(probabilities, gold));
        return m;
    }
}
