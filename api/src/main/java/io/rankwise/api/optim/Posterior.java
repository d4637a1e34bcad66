package io.rankwise.api.optim;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;

/**
 * A mean-field Gaussian posterior N(m, σ²) over each trainable parameter, read by importance
 * metrics and posterior-predictive evaluation. For IVON, m is the parameter's value and σ = 1 /
 * √(ess · (h + δ)).
 */
public interface Posterior {

    /** The mean m of {@code parameter}, inside a step function. */
    Tensor mean(Ops ops, Variable parameter);

    /** The standard deviation σ of {@code parameter}, inside a step function. */
    Tensor std(Ops ops, Variable parameter);

    /** The mean m of {@code parameter}, copied to the host (row-major). */
    double[] meanValues(Variable parameter);

    /** The standard deviation σ of {@code parameter}, copied to the host (row-major). */
    double[] stdValues(Variable parameter);

    /**
     * Runs {@code body} once per posterior draw k = 0..draws−1 with the parameters set to θ ~ N(m,
     * σ²) (seeded by {@code seed} and k), and restores the means afterwards, also when {@code body}
     * throws. This is how posterior-predictive evaluation averages predictions.
     */
    void withSampledWeights(long seed, int draws, java.util.function.IntConsumer body);
}
