package io.rankwise.allocators.metrics;

import io.rankwise.api.optim.Capability;
import java.util.Set;

/** The {@code variance} metric plugin: {@link Variance}. */
public final class VarianceProvider extends FixedMetricProvider {
    /** Found by ServiceLoader. */
    public VarianceProvider() {
        super(
                "variance",
                "variance-only score 1 / sigma of the posterior",
                Set.of(Capability.POSTERIOR),
                Variance::new);
    }
}
