package io.rankwise.api;

import java.util.List;

/**
 * A function value and its gradients, as returned by {@link Ops#valueAndGradients}.
 *
 * @param value the scalar value f(x)
 * @param gradients ∂f/∂xᵢ, one per differentiated tensor, in the same order
 */
public record ValueAndGradients(Tensor value, List<Tensor> gradients) {
    /** Makes an unmodifiable copy of the gradient list. */
    public ValueAndGradients {
        gradients = List.copyOf(gradients);
    }
}
