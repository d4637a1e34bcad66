package io.rankwise.allocators;

import java.util.Locale;

/**
 * AdaLoRA's cubic budget schedule over K adapters (docs/algorithms.md §2), with b₀ = K · init_r and
 * b_T = K · target_r:
 *
 * <pre>
 *   t ≤ t_i            b = b₀                                                no masking
 *   t_i &lt; t ≤ T − t_f   b = ⌊(b₀ − b_T) (1 − (t − t_i)/(T − t_f − t_i))³ + b_T⌋    mask when t mod ΔT = 0
 *   t &gt; T − t_f        b = b_T                                               pattern frozen
 * </pre>
 *
 * with a forced mask at t = T − t_f.
 */
public final class BudgetSchedule {
    private final AdaLoraConfig config;
    private final int initialBudget;
    private final int targetBudget;

    /** The schedule for {@code adapters} adapters of rank {@code config.initR()}. */
    public BudgetSchedule(AdaLoraConfig config, int adapters) {
        if (adapters < 1) {
            throw new IllegalArgumentException(
                    "AdaLoRA needs at least one adapted matrix, got " + adapters);
        }
        this.config = config;
        this.initialBudget = config.initR() * adapters;
        this.targetBudget = config.targetR() * adapters;
    }

    /** b₀, every triplet. */
    public int initialBudget() {
        return initialBudget;
    }

    /** b_T. */
    public int targetBudget() {
        return targetBudget;
    }

    /** The step of the forced final mask, T − t_f. */
    public long finalMaskStep() {
        return config.totalSteps() - config.tfinal();
    }

    /** b(t). */
    public int budget(long step) {
        if (step <= config.tinit()) {
            return initialBudget;
        }
        if (step > finalMaskStep()) {
            return targetBudget;
        }
        double progress = (double) (step - config.tinit()) / (finalMaskStep() - config.tinit());
        double remaining = 1 - progress;
        return (int)
                Math.floor(
                        (initialBudget - targetBudget) * remaining * remaining * remaining
                                + targetBudget);
    }

    /** Whether step t masks: a budgeting step with t mod ΔT = 0, or the forced final mask. */
    public boolean masksAt(long step) {
        if (step == finalMaskStep()) {
            return true;
        }
        return step > config.tinit() && step < finalMaskStep() && step % config.deltaT() == 0;
    }

    /** The phase plan printed at the start of training. */
    public String plan() {
        long budgetingSteps = finalMaskStep() - config.tinit();
        return String.format(
                Locale.ROOT,
                "AdaLoRA plan over %d steps: warm-up steps 1-%d (%d, budget %d); budgeting steps %d-%d (%d, budget %d -> %d,"
                        + " mask every %d steps); final steps %d-%d (%d, budget %d, rank pattern frozen)",
                config.totalSteps(),
                config.tinit(),
                config.tinit(),
                initialBudget,
                config.tinit() + 1,
                finalMaskStep(),
                budgetingSteps,
                initialBudget,
                targetBudget,
                config.deltaT(),
                finalMaskStep() + 1,
                config.totalSteps(),
                config.tfinal(),
                targetBudget);
    }
}
