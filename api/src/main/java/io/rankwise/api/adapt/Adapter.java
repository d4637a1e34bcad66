package io.rankwise.api.adapt;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;

/**
 * A low-rank update ΔW added to a frozen linear layer y = x W₀ᵀ + b. In AdaLoRA's SVD form ΔW = P ·
 * diag(Λ) · Q · α/r₀ with P: d_out × r₀, Λ: r₀, Q: r₀ × d_in; a plain LoRA adapter is ΔW = B · A ·
 * α/r.
 */
public interface Adapter {

    /** The adapted module's path, e.g. {@code encoder.layer.0.attention.self.query}. */
    String module();

    /** The trainable variables of this adapter. */
    List<Variable> parameters();

    /** The initial rank r₀ (the number of triplets for the SVD form). */
    int rank();

    /**
     * The adapter's contribution x ΔWᵀ for inputs {@code x} of shape [..., d_in], computed from the
     * given parameter values (in {@link #parameters()} order), so that optimizers may evaluate it
     * at sampled weights.
     */
    Tensor delta(Ops ops, Tensor x, List<Tensor> parameterValues);
}
