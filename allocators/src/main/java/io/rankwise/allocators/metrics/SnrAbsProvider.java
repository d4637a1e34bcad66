package io.rankwise.allocators.metrics;

import io.rankwise.api.optim.Capability;
import java.util.Set;

/** The {@code snr-abs} metric plugin: {@link SnrAbs}. */
public final class SnrAbsProvider extends FixedMetricProvider {
    /** Found by ServiceLoader. */
    public SnrAbsProvider() {
        super(
                "snr-abs",
                "SNR of abs(theta) under the posterior, E abs(theta) / sd abs(theta) (the official code's default)",
                Set.of(Capability.POSTERIOR),
                SnrAbs::new);
    }
}
