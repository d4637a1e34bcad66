package io.rankwise.optimizers;

import java.util.Locale;

/**
 * IVON's hyperparameters (docs/algorithms.md §3; defaults of the official {@code ivon} 0.1.3). Checked
 * on construction, so that a bad value is refused before training.
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
public record IvonSettings(double lr, double ess, double hessInit, double beta1, double beta2, double weightDecay,
        int mcSamples, String hessApprox, double clipRadius, boolean debias, boolean rescaleLr) {

    /** Refuses values outside their ranges, naming the option, the value and the range. */
    public IvonSettings {
        check("lr", lr, lr >= 0 && lr < Double.POSITIVE_INFINITY, "[0, inf)");
        check("ess", ess, ess > 0 && ess < Double.POSITIVE_INFINITY, "(0, inf)");
        check("hess_init", hessInit, hessInit > 0 && hessInit < Double.POSITIVE_INFINITY, "(0, inf)");
        check("beta1", beta1, beta1 >= 0 && beta1 <= 1, "[0, 1]");
        check("beta2", beta2, beta2 >= 0 && beta2 <= 1, "[0, 1]");
        check("weight_decay", weightDecay, weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY, "[0, inf)");
        check("clip_radius", clipRadius, clipRadius > 0, "(0, inf]");
        if (mcSamples < 1) {
            throw new IllegalArgumentException("ivon: option 'mc_samples' is " + mcSamples + "; accepted: an integer >= 1");
        }
        hessApprox = hessApprox == null ? "" : hessApprox.toLowerCase(Locale.ROOT);
        if (!hessApprox.equals("price") && !hessApprox.equals("gradsq")) {
            throw new IllegalArgumentException("ivon: option 'hess_approx' is " + hessApprox + "; accepted: price, gradsq");
        }
    }

    /** The official defaults with the given lr and ess. */
    public static IvonSettings defaults(double lr, double ess) {
        return new IvonSettings(lr, ess, 1.0, 0.9, 0.99999, 1e-4, 1, "price", Double.POSITIVE_INFINITY, true, true);
    }

    /** The learning rate actually applied: lr · (h₀ + δ) when rescaling. */
    double effectiveLr(double baseLr) {
        return rescaleLr ? baseLr * (hessInit + weightDecay) : baseLr;
    }

    /** The momentum's bias correction at step t: 1 − β₁ᵗ when debiasing, else 1. */
    double debiasFactor(long step) {
        return debias ? 1 - Math.pow(beta1, step) : 1;
    }

    private static void check(String name, double value, boolean ok, String range) {
        if (!ok) {
            throw new IllegalArgumentException("ivon: option '" + name + "' is " + value + "; accepted: " + range);
        }
    }
}
