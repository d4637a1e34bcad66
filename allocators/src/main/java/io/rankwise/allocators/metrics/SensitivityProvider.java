package io.rankwise.allocators.metrics;

import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code sensitivity} metric plugin: AdaLoRA's smoothed |θ·g| with uncertainty. */
public final class SensitivityProvider implements ImportanceMetricProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("beta1", "double in [0, 1)", "0.85", "smoothing of the importance"),
            new OptionSpec("beta2", "double in [0, 1)", "0.85", "smoothing of the uncertainty"));

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
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public ImportanceMetric create(Map<String, String> given) {
        Options o = Options.parse(name(), OPTIONS, given);
        return new Sensitivity(o.doubleIn("beta1", 0, false, 1, true), o.doubleIn("beta2", 0, false, 1, true));
    }
}
