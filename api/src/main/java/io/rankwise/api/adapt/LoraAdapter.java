package io.rankwise.api.adapt;

import io.rankwise.api.Variable;

/**
 * Plain LoRA's adapter (Hu et al., 2021), the fixed-rank baseline: ΔW = B · A · α/r with A: r ×
 * d_in and B: d_out × r, so that an adapted layer computes
 *
 * <pre>
 *   y = x W₀ᵀ + b + (α/r) · (x Aᵀ) Bᵀ
 * </pre>
 *
 * <p>Its rank r stays fixed: no allocator prunes it, no importance metric scores it. Layouts follow
 * PEFT's {@code LoraLayer}, whose {@code lora_A} and {@code lora_B} are {@code nn.Linear} modules
 * ({@code lora_A.weight} [r, d_in], {@code lora_B.weight} [d_out, r]), so that export is a rename.
 * {@link #parameters()} lists A, then B.
 */
public interface LoraAdapter extends Adapter {

    /** A, the down-projection ({@code lora_A}), r × d_in. */
    Variable a();

    /** B, the up-projection ({@code lora_B}), d_out × r; zero at the start, so ΔW = 0. */
    Variable b();

    /** The scale α/r applied to B A. */
    double scale();
}
