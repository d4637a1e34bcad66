package io.rankwise.allocators.metrics;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/** The signal-to-noise ratio s = |m| / σ. */
public final class Snr extends PosteriorMetric {
    @Override
    public String name() {
        return "snr";
    }

    @Override
    Tensor score(Ops ops, Tensor mean, Tensor std) {
        return ops.div(ops.abs(mean), std);
    }
}
