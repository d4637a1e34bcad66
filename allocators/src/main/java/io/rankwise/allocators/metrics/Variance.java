package io.rankwise.allocators.metrics;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/** The variance-only score s = 1 / σ (a small σ means important). */
public final class Variance extends PosteriorMetric {
    @Override
    public String name() {
        return "variance";
    }

    @Override
    Tensor score(Ops ops, Tensor mean, Tensor std) {
        return ops.div(ops.ones(std.shape(), std.dtype()), std);
    }
}
