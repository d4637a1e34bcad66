package io.rankwise.api.adapt;

import io.rankwise.api.Variable;

/**
 * AdaLoRA's adapter in SVD form, ΔW = P · diag(Λ) · Q · α/r₀, whose rank the allocator prunes by
 * zeroing entries of Λ. Triplet i is (P[:, i], Λ[i], Q[i, :]). Layouts follow PEFT, so that export
 * is a rename: P is {@code lora_B} (d_out × r₀), Λ is {@code lora_E} (r₀), Q is {@code lora_A} (r₀
 * × d_in).
 */
public interface SvdAdapter extends Adapter {

    /** P, the left singular vectors, d_out × r₀. */
    Variable left();

    /** Λ, the singular values, a vector of r₀. */
    Variable singularValues();

    /** Q, the right singular vectors, r₀ × d_in. */
    Variable right();
}
