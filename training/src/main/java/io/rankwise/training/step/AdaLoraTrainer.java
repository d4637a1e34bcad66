package io.rankwise.training.step;

import io.rankwise.api.Backend;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import java.util.List;

/**
 * One AdaLoRA training step in the order of docs/algorithms.md §2: forward and backward (at sampled
 * weights under IVON) and the optimizer update in one compiled call, with the metric's observation
 * fused in while it needs it; then the allocator's host-side masking. The task loss gets γ · R
 * (orthogonality regulariser) added. Plain LoRA, without any of this, is {@link
 * AdapterTrainer#fixedRank}.
 *
 * @param <B> the batch record type (e.g. a fine-tuning micro-batch with its dropout seed)
 */
public final class AdaLoraTrainer<B extends Record> extends AdapterTrainer<B> {

    /**
     * Attaches the optimizer to the adapters' parameters and {@code extraTrainable} (a task head),
     * and the allocator to the adapters, then prepares the step. The orthogonality regulariser's
     * weight γ is the allocator's ({@link RankAllocator#orthogonalityWeight()}).
     */
    public AdaLoraTrainer(
            Backend backend,
            Optimizer optimizer,
            RankAllocator allocator,
            ImportanceMetric metric,
            List<SvdAdapter> adapters,
            List<Variable> extraTrainable,
            Loss<B> loss) {
        super(
                backend,
                optimizer,
                adapters,
                extraTrainable,
                new Allocation(allocator, metric, adapters),
                loss);
    }
}
