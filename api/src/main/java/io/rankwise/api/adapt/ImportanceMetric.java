package io.rankwise.api.adapt;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Posterior;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The element score s(e) from which the rank allocator forms triplet scores S = s(Λᵢ) + mean_j
 * s(P_{j,i}) + mean_j s(Q_{i,j}). Examples: AdaLoRA's sensitivity (smoothed |θ·g|), the
 * signal-to-noise ratio |m|/σ of a posterior, the magnitude |m|.
 *
 * <p>A metric with running state ({@link Schedule#EVERY_STEP}) updates it in {@link #observe},
 * which the training step calls after the optimizer's update; every metric gives its scores in
 * {@link #scores}, which the allocator calls only at masking steps, after the training step.
 */
public interface ImportanceMetric {

    /** When a metric needs to see the training. */
    enum Schedule {
        /** Keeps running state that must see every step (sensitivity's moving averages). */
        EVERY_STEP,
        /** Reads the parameters and the optimizer's state only when the allocator masks. */
        MASKING_STEPS
    }

    /** The provider name, e.g. {@code snr}. */
    String name();

    /** What the optimizer must offer; a pairing that lacks it is refused before training. */
    Set<Capability> requires();

    /** When {@link #observe} must be called. */
    Schedule schedule();

    /**
     * Creates running state (as variables) for {@code parameters}; nothing for stateless metrics.
     */
    default void attach(Backend backend, List<Variable> parameters) {}

    /**
     * Inside the training step, for {@link Schedule#EVERY_STEP} metrics: updates the running state
     * of {@code parameter} from θ after the optimizer step and the gradient g the step used.
     */
    default void observe(Ops ops, Variable parameter, Tensor valueAfterStep, Tensor gradient) {}

    /**
     * Element scores for {@code parameter} (same shape), inside a step function run after the
     * training step: reads the parameter, the metric's own state, and the posterior if required.
     */
    Tensor scores(Ops ops, Variable parameter, Optional<Posterior> posterior);

    /**
     * The variables of the metric's running state, for checkpoints (none for stateless metrics).
     */
    default List<Variable> state() {
        return List.of();
    }

    /** Forgets running state (at the forced final mask). Host-side. */
    default void reset() {}
}
