package io.rankwise.optimizers.noise;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.NoiseSource;
import java.util.List;

/**
 * Draws ε on the device with the backend's own generator, seeded by (seed, step) and offset per
 * parameter and sample: the cheapest source (one 2-element input per step), reproducible on one
 * backend, but not the same numbers across backends.
 */
public final class DeviceNoise implements NoiseSource {
    private final long seed;

    /** A source seeded with {@code seed}. */
    public DeviceNoise(long seed) {
        this.seed = seed;
    }

    /**
     * The step's seed.
     *
     * @param seed INT64 [2]: {@code [seed, step]}
     */
    public record Inputs(Tensor seed) implements NoiseSource.Inputs {}

    @Override
    public Inputs inputs(Backend backend, long step, List<Variable> parameters, int samples) {
        return new Inputs(backend.tensor(new long[] {seed, step}, Shape.of(2), DType.INT64));
    }

    @Override
    public Tensor draw(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int index, int sample) {
        Variable p = parameters.get(index);
        // Distinct streams per (parameter, sample): shift the seed's first word.
        long offset = (index + 1L) * 0x9E3779B97F4A7C15L + sample * 0xBF58476D1CE4E5B9L;
        Tensor seedInput = inputs.as(Inputs.class).seed();
        Tensor streamSeed =
                ops.add(seedInput, ops.constant(new long[] {offset, 0}, Shape.of(2), DType.INT64));
        return ops.randomNormal(p.shape(), p.dtype(), streamSeed, 0, 1);
    }
}
