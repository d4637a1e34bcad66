package io.rankwise.allocators.metrics;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/**
 * The signal-to-noise ratio of |θ| under the posterior (the official code's default, "SNR(|θ|)"): s
 * = E|θ| / √(σ² + m² − (E|θ|)²), the mean of the folded normal over its standard deviation.
 */
public final class SnrAbs extends PosteriorMetric {
    @Override
    public String name() {
        return "snr-abs";
    }

    @Override
    Tensor score(Ops ops, Tensor mean, Tensor std) {
        Tensor e = MeanAbs.expectedAbs(ops, mean, std);
        Tensor variance = ops.sub(ops.add(ops.square(std), ops.square(mean)), ops.square(e));
        return ops.div(e, ops.sqrt(variance));
    }
}
