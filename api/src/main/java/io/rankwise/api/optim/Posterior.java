package io.rankwise.api.optim;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;

/**
 * A mean-field Gaussian posterior N(m, σ²) over each trainable parameter, read by importance
 * metrics and posterior-predictive evaluation. For IVON, m is the parameter's value and
 * σ = 1 / √(ess · (h + δ)).
 */
public interface Posterior {

    /** The mean m of {@code parameter}, inside a step function. */
    Tensor mean(Ops ops, Variable parameter);

    /** The standard deviation σ of {@code parameter}, inside a step function. */
    Tensor std(Ops ops, Variable parameter);
}
