package io.rankwise.optimizers;

import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Set;

/** The {@code adam} plugin: AdamW with decoupled weight decay. */
public final class AdamProvider implements OptimizerProvider {
    /** Learning rate. */
    public static final Option<Double> LR = Option.number("lr", 1e-3, "learning rate").atLeast(0);

    /** β₁. */
    public static final Option<Double> BETA1 =
            Option.number("beta1", 0.9, "decay of the first moment").atLeast(0).below(1);

    /** β₂. */
    public static final Option<Double> BETA2 =
            Option.number("beta2", 0.999, "decay of the second moment").atLeast(0).below(1);

    /** ε. */
    public static final Option<Double> EPS =
            Option.number("eps", 1e-8, "added to the denominator").above(0);

    /** λ. */
    public static final Option<Double> WEIGHT_DECAY =
            Option.number("weight_decay", 0.0, "decoupled weight decay λ").atLeast(0);

    private static final List<Option<?>> OPTIONS = List.of(LR, BETA1, BETA2, EPS, WEIGHT_DECAY);

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "AdamW (decoupled weight decay), the AdaLoRA baseline";
    }

    @Override
    public int rank() {
        return 10;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRADIENTS);
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Options o) {
        return new AdamW(o.get(LR), o.get(BETA1), o.get(BETA2), o.get(EPS), o.get(WEIGHT_DECAY));
    }
}
