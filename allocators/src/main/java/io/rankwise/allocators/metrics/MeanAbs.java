package io.rankwise.allocators.metrics;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/**
 * The expected magnitude under the posterior, E|θ| for θ ~ N(m, σ²) (a folded normal): E|θ| = m ·
 * erf(m / (σ√2)) + σ · √(2/π) · exp(−m² / (2σ²)).
 */
public final class MeanAbs extends PosteriorMetric {
    @Override
    public String name() {
        return "mean-abs";
    }

    @Override
    Tensor score(Ops ops, Tensor mean, Tensor std) {
        return expectedAbs(ops, mean, std);
    }

    static Tensor expectedAbs(Ops ops, Tensor m, Tensor sigma) {
        Tensor erfTerm = ops.mul(m, ops.erf(ops.div(m, ops.mul(sigma, Math.sqrt(2)))));
        Tensor gauss = ops.exp(ops.div(ops.neg(ops.square(m)), ops.mul(ops.square(sigma), 2)));
        return ops.add(erfTerm, ops.mul(ops.mul(sigma, gauss), Math.sqrt(2 / Math.PI)));
    }
}
