package io.rankwise.allocators.metrics;

import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Set;

/** The {@code sensitivity} metric plugin: AdaLoRA's smoothed |θ·g| with uncertainty. */
public final class SensitivityProvider implements ImportanceMetricProvider {
    /** β₁ of the importance's moving average. */
    public static final Option<Double> BETA1 =
            Option.number("beta1", 0.85, "smoothing of the importance").atLeast(0).below(1);

    /** β₂ of the uncertainty's moving average. */
    public static final Option<Double> BETA2 =
            Option.number("beta2", 0.85, "smoothing of the uncertainty").atLeast(0).below(1);

    private static final List<Option<?>> OPTIONS = List.of(BETA1, BETA2);

    @Override
    public String name() {
        return "sensitivity";
    }

    @Override
    public String description() {
        return "AdaLoRA's sensitivity abs(theta * g), smoothed, times its uncertainty; works with any optimizer";
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.GRADIENTS);
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public ImportanceMetric create(Options o) {
        return new Sensitivity(o.get(BETA1), o.get(BETA2));
    }
}
