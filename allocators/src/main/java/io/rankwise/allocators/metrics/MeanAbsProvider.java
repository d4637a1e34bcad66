package io.rankwise.allocators.metrics;

import io.rankwise.api.optim.Capability;
import java.util.Set;

/** The {@code mean-abs} metric plugin: {@link MeanAbs}. */
public final class MeanAbsProvider extends FixedMetricProvider {
    /** Found by ServiceLoader. */
    public MeanAbsProvider() {
        super(
                "mean-abs",
                "expected magnitude E abs(theta) under the posterior",
                Set.of(Capability.POSTERIOR),
                MeanAbs::new);
    }
}
