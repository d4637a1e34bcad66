package io.rankwise.api.adapt;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.optim.Optimizer;
import java.util.List;
import java.util.Map;

/**
 * Distributes a shrinking budget of triplets over SVD adapters (AdaLoRA). The budget b(t) follows a
 * cubic schedule from b₀ = Σ r₀ down to b_T = target_r · K; at masking steps every triplet whose
 * score S is at or below the (b₀ − b)-th smallest is switched off (Λ = 0).
 *
 * <p>Per training step t: the training step function calls {@link #observe} when {@link
 * #observesAt}(t), then the host calls {@link #afterStep}(t).
 */
public interface RankAllocator {

    /**
     * Binds the adapters, the metric and the optimizer (for its posterior and capabilities).
     *
     * @throws IllegalArgumentException if the metric needs something the optimizer lacks, naming
     *     both
     */
    void attach(
            Backend backend,
            List<SvdAdapter> adapters,
            ImportanceMetric metric,
            Optimizer optimizer);

    /** The budget b(t) in triplets at step t (starting at 1). */
    int budget(long step);

    /**
     * Whether the training step at t must call {@link #observe} (running-state metrics, t &lt; T −
     * t_f).
     */
    boolean observesAt(long step);

    /**
     * Inside the training step: lets the metric update its running state from the optimizer's
     * update (pass {@link Optimizer.Update#gradients()} and {@link Optimizer.Update#updated()}).
     *
     * @param gradients the gradients the step used, in the optimizer's parameter order
     * @param valuesAfterStep the parameters' new values, in the same order
     */
    void observe(Ops ops, List<Tensor> gradients, List<Tensor> valuesAfterStep);

    /** Host-side, after the training step: masks, stores the final pattern, or re-applies it. */
    void afterStep(long step);

    /**
     * Which triplets survive per adapter, keyed by the adapter's module name (export formats apply
     * their own names).
     */
    Map<String, boolean[]> rankPattern();

    /** The host-side state a checkpoint keeps, so that a resumed run masks exactly as before. */
    State state();

    /**
     * Restores a state saved by {@link #state()} (after {@link #attach}); the metric's running
     * state is restored through its variables.
     *
     * @throws IllegalArgumentException if the state is for another number of triplets
     */
    void restore(State state);

    /**
     * γ, the weight of the orthogonality regulariser R(P, Q) = Σ_k ‖PᵀP − I‖²_F + ‖QQᵀ − I‖²_F that
     * the training step adds to the task loss on this allocator's adapters; 0: none.
     */
    default double orthogonalityWeight() {
        return 0;
    }

    /**
     * One line describing the phases of the budget over the run, for logs and reports; empty if
     * none.
     */
    default String plan() {
        return "";
    }

    /**
     * The allocator's host-side state, for checkpoints.
     *
     * @param keep which triplets survive now, all adapters concatenated in model order
     * @param finalKeep the pattern frozen at T − t_f, or null before it
     * @param lastScores the triplet scores of the last masking step, or null
     */
    record State(boolean[] keep, boolean[] finalKeep, double[] lastScores) {}
}
