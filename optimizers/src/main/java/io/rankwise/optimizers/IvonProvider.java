package io.rankwise.optimizers;

import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.optimizers.noise.HostNoise;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.rankwise.api.optim.Capability;

/**
 * The {@code ivon} plugin: the Improved Variational Online Newton optimizer, with a posterior
 * N(m, σ²) per weight, σ = 1/√(ess · (h + δ)); the update rule is on {@link Ivon} (docs/algorithms.md §3.2).
 */
public final class IvonProvider implements OptimizerProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("lr", "double >= 0", "0.1", "learning rate"),
            new OptionSpec("ess", "double > 0", null, "effective sample size λ, usually the training-set size"),
            new OptionSpec("hess_init", "double > 0", "1.0", "initial Hessian estimate h0"),
            new OptionSpec("beta1", "double in [0, 1]", "0.9", "momentum decay"),
            new OptionSpec("beta2", "double in [0, 1]", "0.99999", "Hessian decay"),
            new OptionSpec("weight_decay", "double >= 0", "1e-4", "weight decay δ (the prior precision per example)"),
            new OptionSpec("mc_samples", "int >= 1", "1", "weight samples per step"),
            new OptionSpec("hess_approx", "price|gradsq", "price", "Hessian estimator"),
            new OptionSpec("clip_radius", "double > 0", "inf", "clip of the update direction ρ"),
            new OptionSpec("debias", "boolean", "true", "divide the momentum by 1 - beta1^t"),
            new OptionSpec("rescale_lr", "boolean", "true", "multiply lr by hess_init + weight_decay"),
            new OptionSpec("noise", "device|host", "device", "where ε is drawn: the backend's generator, or the host (same on every backend)"),
            new OptionSpec("seed", "long", "0", "seed of the weight noise"));

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
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Map<String, String> given) {
        Options o = Options.parse(name(), OPTIONS, given);
        double inf = Double.POSITIVE_INFINITY;
        IvonSettings settings = new IvonSettings(
                o.doubleIn("lr", 0, false, inf, true),
                o.doubleIn("ess", 0, true, inf, true),
                o.doubleIn("hess_init", 0, true, inf, true),
                o.doubleIn("beta1", 0, false, 1, false),
                o.doubleIn("beta2", 0, false, 1, false),
                o.doubleIn("weight_decay", 0, false, inf, true),
                o.intIn("mc_samples", 1, Integer.MAX_VALUE),
                o.oneOf("hess_approx", "price", "gradsq"),
                o.doubleIn("clip_radius", 0, true, inf, false),
                o.bool("debias"),
                o.bool("rescale_lr"));
        long seed;
        try {
            seed = Long.parseLong(o.text("seed"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ivon: option 'seed' is " + o.text("seed") + "; accepted: an integer");
        }
        return new Ivon(settings, o.oneOf("noise", "device", "host").equals("host") ? new HostNoise(seed) : new DeviceNoise(seed));
    }
}
