package io.rankwise.api.adapt;

import java.util.List;
import java.util.Map;

/**
 * Distributes a shrinking budget of triplets over SVD adapters. The budget b(t) follows a cubic
 * schedule from b₀ = Σ r₀ to b_T = target_r · K; at masking steps every triplet whose score is at or
 * below the (b₀ − b)-th smallest is switched off (Λ = 0).
 */
public interface RankAllocator {

    /** The budget b(t) in triplets at step t (starting at 1). */
    int budget(long step);

    /** Whether step t masks (a budgeting step with t mod ΔT = 0, or the forced final mask). */
    boolean masksAt(long step);

    /** Binds the adapters whose ranks are allocated. */
    void attach(List<Adapter> adapters);

    /** Which triplets survive per adapter, keyed as PEFT names them: {@code <module>.lora_E}. */
    Map<String, boolean[]> rankPattern();
}
