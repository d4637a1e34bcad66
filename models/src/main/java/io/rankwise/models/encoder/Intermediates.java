package io.rankwise.models.encoder;

import io.rankwise.api.Tensor;

/**
 * Frees the intermediate tensors of a forward pass as soon as it is done with them. On an eager
 * engine an intermediate otherwise lives until the step's scope ends, so a 6-layer encoder holds
 * every layer's temporaries at once; autograd keeps references of its own to what the backward pass
 * needs, so closing here frees only what nothing needs. A graph engine's nodes ignore it.
 */
public final class Intermediates {
    private Intermediates() {}

    /**
     * Closes {@code dead} once {@code kept}, computed from them, exists, skipping any that is
     * {@code kept} itself (dropout at rate 0 returns its input). Pass only tensors the forward pass
     * made, never an input or a variable's value.
     */
    public static void release(Tensor kept, Tensor... dead) {
        for (Tensor t : dead) {
            if (t != kept) {
                t.close();
            }
        }
    }
}
