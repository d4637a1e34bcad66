package io.rankwise.api.adapt;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.optim.Optimizer;
import java.util.List;
import java.util.Map;

/**
 * Distributes a shrinking budget of triplets over SVD adapters (AdaLoRA). The budget b(t) follows
 * a cubic schedule from b₀ = Σ r₀ down to b_T = target_r · K; at masking steps every triplet whose
 * score S is at or below the (b₀ − b)-th smallest is switched off (Λ = 0).
 *
 * <p>Per training step t: the training step function calls {@link #observe} when
 * {@link #observesAt}(t), then the host calls {@link #afterStep}(t).
 */
public interface RankAllocator {

    /**
     * Binds the adapters, the metric and the optimizer (for its posterior and capabilities).
     *
     * @throws IllegalArgumentException if the metric needs something the optimizer lacks, naming both
     */
    void attach(Backend backend, List<SvdAdapter> adapters, ImportanceMetric metric, Optimizer optimizer);

    /** The budget b(t) in triplets at step t (starting at 1). */
    int budget(long step);

    /** Whether the training step at t must call {@link #observe} (running-state metrics, t &lt; T − t_f). */
    boolean observesAt(long step);

    /**
     * Inside the training step: lets the metric update its running state from the optimizer's update
     * (pass {@link Optimizer.Update#gradients()} and {@link Optimizer.Update#updated()}).
     *
     * @param gradients the gradients the step used, in the optimizer's parameter order
     * @param valuesAfterStep the parameters' new values, in the same order
     */
    void observe(Ops ops, List<Tensor> gradients, List<Tensor> valuesAfterStep);

    /** Host-side, after the training step: masks, stores the final pattern, or re-applies it. */
    void afterStep(long step);

    /** Which triplets survive per adapter, keyed as PEFT names them: {@code <module>.lora_E}. */
    Map<String, boolean[]> rankPattern();
}
