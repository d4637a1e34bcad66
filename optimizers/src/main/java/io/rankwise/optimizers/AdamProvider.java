package io.rankwise.optimizers;

import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.rankwise.api.optim.Capability;

/** The {@code adam} plugin: AdamW with decoupled weight decay. */
public final class AdamProvider implements OptimizerProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("lr", "double >= 0", "1e-3", "learning rate"),
            new OptionSpec("beta1", "double in [0, 1)", "0.9", "decay of the first moment"),
            new OptionSpec("beta2", "double in [0, 1)", "0.999", "decay of the second moment"),
            new OptionSpec("eps", "double > 0", "1e-8", "added to the denominator"),
            new OptionSpec("weight_decay", "double >= 0", "0", "decoupled weight decay λ"));

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
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Map<String, String> given) {
        Options o = Options.parse(name(), OPTIONS, given);
        return new AdamW(
                o.doubleIn("lr", 0, false, Double.POSITIVE_INFINITY, true),
                o.doubleIn("beta1", 0, false, 1, true),
                o.doubleIn("beta2", 0, false, 1, true),
                o.doubleIn("eps", 0, true, Double.POSITIVE_INFINITY, true),
                o.doubleIn("weight_decay", 0, false, Double.POSITIVE_INFINITY, true));
    }
}
