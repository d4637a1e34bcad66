package io.rankwise.optimizers;

import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.optimizers.noise.HostNoise;
import java.util.List;
import java.util.Set;

/**
 * The {@code ivon} plugin: the Improved Variational Online Newton optimizer, with a posterior N(m,
 * σ²) per weight, σ = 1/√(ess · (h + δ)); the update rule is on {@link Ivon} (docs/algorithms.md
 * §3.2).
 */
public final class IvonProvider implements OptimizerProvider {
    /** Learning rate. */
    public static final Option<Double> LR = Option.number("lr", 0.1, "learning rate").atLeast(0);

    /**
     * λ; no default, because it should follow the training set (the command line's {@code ess:
     * auto}).
     */
    public static final Option<Double> ESS =
            Option.number("ess", "effective sample size λ, usually the training-set size").above(0);

    /** h₀. */
    public static final Option<Double> HESS_INIT =
            Option.number("hess_init", 1.0, "initial Hessian estimate h0").above(0);

    /** β₁. */
    public static final Option<Double> BETA1 =
            Option.number("beta1", 0.9, "momentum decay").atLeast(0).atMost(1);

    /** β₂. */
    public static final Option<Double> BETA2 =
            Option.number(
                            "beta2",
                            0.99999,
                            "Hessian decay: h (and with it σ = 1/sqrt(ess·(h+δ))) moves a fraction 1−β₂ per step from hess_init toward the data's Hessian, 1−β₂^T of the way in T steps: at 0.99999 (the paper's) 1% in 1,000 steps, so in a short run σ is what hess_init sets; 0.999 covers 63% in as many steps")
                    .atLeast(0)
                    .atMost(1);

    /** δ. */
    public static final Option<Double> WEIGHT_DECAY =
            Option.number("weight_decay", 1e-4, "weight decay δ (the prior precision per example)")
                    .atLeast(0);

    /** S. */
    public static final Option<Integer> MC_SAMPLES =
            Option.integer("mc_samples", 1, "weight samples per step").atLeast(1);

    /** The Hessian estimator. */
    public static final Option<String> HESS_APPROX =
            Option.choice(
                    "hess_approx",
                    "price",
                    List.of("price", "gradsq"),
                    "Hessian estimator: price (reparameterisation) or gradsq (squared gradients)");

    /** ρ; infinite by default: no clipping. */
    public static final Option<Double> CLIP_RADIUS =
            Option.number("clip_radius", "clip of the update direction ρ (inf: none)")
                    .above(0)
                    .atMost(Double.POSITIVE_INFINITY)
                    .withDefault(Double.POSITIVE_INFINITY);

    /** Whether the momentum is bias-corrected. */
    public static final Option<Boolean> DEBIAS =
            Option.bool("debias", true, "divide the momentum by 1 - beta1^t");

    /** Whether lr is rescaled. */
    public static final Option<Boolean> RESCALE_LR =
            Option.bool("rescale_lr", true, "multiply lr by hess_init + weight_decay");

    /** Where ε is drawn. */
    public static final Option<String> NOISE =
            Option.choice(
                    "noise",
                    "device",
                    List.of("device", "host"),
                    "where ε is drawn: the backend's generator, or the host (same on every backend)");

    /** The noise seed. */
    public static final Option<Long> SEED =
            Option.longInteger("seed", 0, "seed of the weight noise");

    private static final List<Option<?>> OPTIONS =
            List.of(
                    LR,
                    ESS,
                    HESS_INIT,
                    BETA1,
                    BETA2,
                    WEIGHT_DECAY,
                    MC_SAMPLES,
                    HESS_APPROX,
                    CLIP_RADIUS,
                    DEBIAS,
                    RESCALE_LR,
                    NOISE,
                    SEED);

    @Override
    public String name() {
        return "ivon";
    }

    @Override
    public String description() {
        return "IVON (variational online Newton): Adam-like updates with a Gaussian posterior N(m, σ²)";
    }

    @Override
    public int rank() {
        return 20;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRADIENTS, Capability.POSTERIOR);
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Options o) {
        IvonSettings settings =
                new IvonSettings(
                        o.get(LR),
                        o.get(ESS),
                        o.get(HESS_INIT),
                        o.get(BETA1),
                        o.get(BETA2),
                        o.get(WEIGHT_DECAY),
                        o.get(MC_SAMPLES),
                        o.get(HESS_APPROX),
                        o.get(CLIP_RADIUS),
                        o.get(DEBIAS),
                        o.get(RESCALE_LR));
        long seed = o.get(SEED);
        return new Ivon(
                settings,
                o.get(NOISE).equals("host") ? new HostNoise(seed) : new DeviceNoise(seed));
    }
}
