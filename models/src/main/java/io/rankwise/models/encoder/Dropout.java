package io.rankwise.models.encoder;

import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;

/**
 * Inverted dropout with a seeded source: keeps each element with probability 1 − p and scales the
 * kept ones by 1/(1 − p). The seed is a step input (INT64 [2]); each dropout site offsets it, so
 * sites draw independent masks and a step is reproducible on one backend.
 *
 * @param rate p, in [0, 1)
 * @param seed the step's seed tensor
 */
public record Dropout(double rate, Tensor seed) {
    /** Checks the rate. */
    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate is " + rate + "; accepted: [0, 1)");
        }
    }

    /** Applies dropout at site {@code site} (a number distinct per place in the model). */
    public Tensor apply(Ops ops, Tensor x, int site) {
        if (rate == 0) {
            return x;
        }
        Tensor siteSeed =
                ops.add(
                        seed,
                        ops.constant(
                                new long[] {0, 0x9E3779B97F4A7C15L * (site + 1)},
                                Shape.of(2),
                                DType.INT64));
        Tensor keep =
                ops.greaterEqual(
                        ops.randomUniform(x.shape(), x.dtype(), siteSeed, 0, 1),
                        ops.scalar(rate, x.dtype()));
        return ops.where(keep, ops.mul(x, 1 / (1 - rate)), ops.zeros(Shape.scalar(), x.dtype()));
    }
}
