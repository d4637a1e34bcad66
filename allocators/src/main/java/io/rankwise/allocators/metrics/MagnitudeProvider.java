package io.rankwise.allocators.metrics;

import java.util.Set;

/** The {@code magnitude} metric plugin: {@link Magnitude}. */
public final class MagnitudeProvider extends FixedMetricProvider {
    /** Found by ServiceLoader. */
    public MagnitudeProvider() {
        super(
                "magnitude",
                "magnitude abs(m) (the posterior mean under IVON; the weight under Adam)",
                Set.of(),
                Magnitude::new);
    }
}
