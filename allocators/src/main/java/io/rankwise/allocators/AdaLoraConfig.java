package io.rankwise.allocators;

/**
 * The settings of an AdaLoRA run, checked before training (docs/algorithms.md §2). Keys are named
 * as in PEFT's {@code AdaLoraConfig} in error messages.
 *
 * @param initR initial rank r₀ of every adapter ({@code init_r})
 * @param targetR average rank at the end ({@code target_r}), 0 &lt; target_r ≤ init_r
 * @param tinit warm-up steps without masking ({@code tinit})
 * @param tfinal final steps with the pattern frozen ({@code tfinal})
 * @param deltaT masking interval ({@code deltaT}), ≥ 1
 * @param totalSteps total training steps T ({@code total_step}), &gt; 0 and &gt; tinit + tfinal
 * @param orthRegWeight γ, weight of the orthogonality regulariser ({@code orth_reg_weight}), ≥ 0
 */
public record AdaLoraConfig(
        int initR,
        int targetR,
        long tinit,
        long tfinal,
        long deltaT,
        long totalSteps,
        double orthRegWeight) {

    /**
     * Refuses invalid settings, naming the key, the value and what is accepted. The ranges of the
     * options are those {@link AdaLoraAllocatorProvider} declares; the rest are the checks against
     * what the run fixes (r₀ and T).
     */
    public AdaLoraConfig {
        String plugin = AdaLoraAllocatorProvider.NAME;
        AdaLoraAllocatorProvider.TINIT.check(plugin, tinit);
        AdaLoraAllocatorProvider.TFINAL.check(plugin, tfinal);
        AdaLoraAllocatorProvider.DELTA_T.check(plugin, deltaT);
        AdaLoraAllocatorProvider.ORTH_REG_WEIGHT.check(plugin, orthRegWeight);
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("total_step is " + totalSteps + "; it must be > 0");
        }
        if (tinit + tfinal >= totalSteps) {
            throw new IllegalArgumentException(
                    "tinit + tfinal is "
                            + tinit
                            + " + "
                            + tfinal
                            + " = "
                            + (tinit + tfinal)
                            + "; it must be < total_step ("
                            + totalSteps
                            + ") to leave steps for budgeting");
        }
        if (initR < 1) {
            throw new IllegalArgumentException("init_r is " + initR + "; it must be >= 1");
        }
        if (targetR <= 0 || targetR > initR) {
            throw new IllegalArgumentException(
                    "target_r is " + targetR + "; it must be in [1, init_r = " + initR + "]");
        }
    }
}
