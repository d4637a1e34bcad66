package io.rankwise.api.adapt;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Posterior;
import java.util.Optional;
import java.util.Set;

/**
 * The element score s(e) from which the rank allocator forms triplet scores
 * S = s(Λᵢ) + mean_j s(P_{j,i}) + mean_j s(Q_{i,j}). Examples: AdaLoRA's sensitivity |θ·g| (smoothed),
 * the signal-to-noise ratio |m|/σ of a posterior, the magnitude |m|.
 */
public interface ImportanceMetric {

    /** When a metric needs to run. */
    enum Schedule {
        /** Keeps running state that must see every step (sensitivity's moving averages). */
        EVERY_STEP,
        /** Reads the optimizer's state only when the allocator masks. */
        MASKING_STEPS
    }

    /** The provider name, e.g. {@code snr}. */
    String name();

    /** What the optimizer must offer; a pairing that lacks it is refused before training. */
    Set<Capability> requires();

    /** When {@link #scores} must be called. */
    Schedule schedule();

    /**
     * Element scores for one parameter (same shape), inside a step function.
     *
     * @param parameter the parameter after the optimizer step
     * @param value its value θ
     * @param gradient the gradient used in the step (may be absent if not required)
     * @param posterior the optimizer's posterior (absent if not required)
     */
    Tensor scores(Ops ops, Variable parameter, Tensor value, Optional<Tensor> gradient, Optional<Posterior> posterior);

    /** Forgets running state (at the forced final mask). */
    default void reset() {
    }
}
