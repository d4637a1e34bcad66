package io.rankwise.allocators.metrics;

import io.rankwise.api.optim.Capability;
import java.util.Set;

/** The {@code snr} metric plugin: {@link Snr}. */
public final class SnrProvider extends FixedMetricProvider {
    /** Found by ServiceLoader. */
    public SnrProvider() {
        super(
                "snr",
                "signal-to-noise ratio abs(m) / sigma of the posterior",
                Set.of(Capability.POSTERIOR),
                Snr::new);
    }
}
