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
 * Draws ε on the device with the backend's own generator ({@link Ops#randomNormal}), seeded by
 * (seed, step): the cheapest source (one 2-element input per step), reproducible on one backend,
 * but not the same numbers across backends.
 *
 * <p>A step's draws for every parameter and Monte-Carlo sample come from <em>one</em> call of the
 * generator: a vector of S · Σᵢ nᵢ standard normals (plus alignment padding, see {@link
 * FlatLayout}), of which parameter i at sample s reads its own disjoint slice. Disjoint slices of
 * one i.i.d. N(0, 1) vector are independent of each other, so this has the distribution of separate
 * draws per parameter; and since the seed holds the step, every step's vector is a fresh draw. One
 * call instead of one per parameter and sample matters where a call has a fixed cost: on PyTorch
 * each draw reads its seed back to the host and reseeds the process-wide generator, and on a GPU
 * each is a kernel launch.
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

    /**
     * ε of one parameter and sample, drawn by itself (its own generator call, on a seed shifted per
     * parameter and sample). Other numbers than {@link #drawAll} gives, with the same distribution;
     * optimizers use {@link #drawAll}.
     */
    @Override
    public Tensor draw(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int index, int sample) {
        Variable p = parameters.get(index);
        long offset = (index + 1L) * 0x9E3779B97F4A7C15L + sample * 0xBF58476D1CE4E5B9L;
        Tensor streamSeed =
                ops.add(
                        inputs.as(Inputs.class).seed(),
                        ops.constant(new long[] {offset, 0}, Shape.of(2), DType.INT64));
        return ops.randomNormal(p.shape(), p.dtype(), streamSeed, 0, 1);
    }

    /**
     * The whole step's ε in one generator call on the step's seed, split into one slice per
     * parameter and sample ({@link FlatLayout}).
     */
    @Override
    public List<List<Tensor>> drawAll(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int samples) {
        if (parameters.isEmpty()) {
            return NoiseSource.super.drawAll(ops, inputs, parameters, samples);
        }
        FlatLayout layout = FlatLayout.of(parameters);
        Tensor flat =
                ops.randomNormal(
                        Shape.of(layout.total(samples)),
                        parameters.get(0).dtype(),
                        inputs.as(Inputs.class).seed(),
                        0,
                        1);
        return layout.split(ops, flat, parameters, samples);
    }
}
