package io.rankwise.optimizers.noise;

import io.rankwise.api.HostRandom;
import io.rankwise.api.Variable;

/**
 * Draws ε on the host from {@link HostRandom}: the same numbers on every backend (for cross-backend
 * parity), at the cost of feeding one tensor per parameter and sample each step.
 */
public final class HostNoise extends HostFedNoise {
    private final long seed;

    /** A source seeded with {@code seed}. */
    public HostNoise(long seed) {
        this.seed = seed;
    }

    @Override
    double[] values(long step, int sample, int index, Variable parameter) {
        long stream = (step * 1_000_003L + sample) * 10_007L + index;
        return HostRandom.forStream(seed, stream)
                .normal(Math.toIntExact(parameter.shape().size()), 0, 1);
    }
}
