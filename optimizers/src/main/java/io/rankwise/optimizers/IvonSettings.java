package io.rankwise.optimizers;

/**
 * IVON's hyperparameters (docs/algorithms.md §3; defaults of the official {@code ivon} 0.1.3).
 * Checked on construction, so that a bad value is refused before training.
 *
 * @param lr learning rate (≥ 0)
 * @param ess effective sample size λ (&gt; 0), usually the training-set size
 * @param hessInit initial Hessian estimate h₀ (&gt; 0)
 * @param beta1 momentum decay, in [0, 1]
 * @param beta2 Hessian decay, in [0, 1]
 * @param weightDecay δ (≥ 0)
 * @param mcSamples S, weight samples per step (≥ 1)
 * @param hessApprox {@code price} (reparameterisation) or {@code gradsq} (squared gradients)
 * @param clipRadius ρ (&gt; 0, may be infinite)
 * @param debias divide the momentum by 1 − β₁ᵗ
 * @param rescaleLr multiply lr by h₀ + δ
 */
public record IvonSettings(
        double lr,
        double ess,
        double hessInit,
        double beta1,
        double beta2,
        double weightDecay,
        int mcSamples,
        String hessApprox,
        double clipRadius,
        boolean debias,
        boolean rescaleLr) {
    private static final String PLUGIN = "ivon";

    /**
     * Refuses values outside their ranges, naming the option, the value and what is accepted. The
     * ranges are those {@link IvonProvider} declares, so settings built in code are held to the
     * same rules as options from a configuration.
     */
    public IvonSettings {
        IvonProvider.LR.check(PLUGIN, lr);
        IvonProvider.ESS.check(PLUGIN, ess);
        IvonProvider.HESS_INIT.check(PLUGIN, hessInit);
        IvonProvider.BETA1.check(PLUGIN, beta1);
        IvonProvider.BETA2.check(PLUGIN, beta2);
        IvonProvider.WEIGHT_DECAY.check(PLUGIN, weightDecay);
        IvonProvider.MC_SAMPLES.check(PLUGIN, mcSamples);
        IvonProvider.CLIP_RADIUS.check(PLUGIN, clipRadius);
        hessApprox = IvonProvider.HESS_APPROX.parse(PLUGIN, hessApprox == null ? "" : hessApprox);
    }

    /** The official defaults (as {@link IvonProvider} declares them) with the given lr and ess. */
    public static IvonSettings defaults(double lr, double ess) {
        return new IvonSettings(
                lr,
                ess,
                IvonProvider.HESS_INIT.defaultValue(),
                IvonProvider.BETA1.defaultValue(),
                IvonProvider.BETA2.defaultValue(),
                IvonProvider.WEIGHT_DECAY.defaultValue(),
                IvonProvider.MC_SAMPLES.defaultValue(),
                IvonProvider.HESS_APPROX.defaultValue(),
                IvonProvider.CLIP_RADIUS.defaultValue(),
                IvonProvider.DEBIAS.defaultValue(),
                IvonProvider.RESCALE_LR.defaultValue());
    }

    /** The learning rate actually applied: lr · (h₀ + δ) when rescaling. */
    double effectiveLr(double baseLr) {
        return rescaleLr ? baseLr * (hessInit + weightDecay) : baseLr;
    }

    /** The momentum's bias correction at step t: 1 − β₁ᵗ when debiasing, else 1. */
    double debiasFactor(long step) {
        return debias ? 1 - Math.pow(beta1, step) : 1;
    }
}
