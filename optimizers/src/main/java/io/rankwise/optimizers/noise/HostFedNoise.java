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
 * A source whose draws are made on the host and fed as inputs: one flat vector per step holding
 * every (sample, parameter) pair's draws as {@link FlatLayout} places them, so that a step feeds
 * one tensor however many parameters there are, and the step function slices it. Subclasses say
 * where the numbers come from; they reach the step unchanged (apart from the dtype's rounding).
 */
abstract class HostFedNoise implements NoiseSource {

    /**
     * The step's draws.
     *
     * @param draws every sample's draws of every parameter, laid out by {@link FlatLayout}
     */
    record Draws(Tensor draws) implements NoiseSource.Inputs {}

    /** The draws ε for parameter {@code index} at Monte-Carlo sample {@code sample} of step t. */
    abstract double[] values(long step, int sample, int index, Variable parameter);

    @Override
    public final NoiseSource.Inputs inputs(
            Backend backend, long step, List<Variable> parameters, int samples) {
        FlatLayout layout = FlatLayout.of(parameters);
        double[] flat = new double[Math.toIntExact(layout.total(samples))];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < parameters.size(); i++) {
                Variable p = parameters.get(i);
                double[] eps = values(step, s, i, p);
                if (eps.length != p.shape().size()) {
                    throw new IllegalArgumentException(
                            "noise for "
                                    + p.name()
                                    + " at step "
                                    + step
                                    + ", sample "
                                    + s
                                    + " has "
                                    + eps.length
                                    + " values; the parameter has "
                                    + p.shape().size()
                                    + " "
                                    + p.shape());
                }
                System.arraycopy(eps, 0, flat, Math.toIntExact(layout.start(i, s)), eps.length);
            }
        }
        // All trainable parameters share one dtype (the optimizers check it on attach).
        return new Draws(
                backend.tensor(
                        flat,
                        Shape.of(flat.length),
                        parameters.isEmpty() ? DType.FLOAT32 : parameters.get(0).dtype()));
    }

    @Override
    public final Tensor draw(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int index, int sample) {
        return FlatLayout.of(parameters)
                .slice(ops, inputs.as(Draws.class).draws(), parameters, index, sample);
    }

    @Override
    public final List<List<Tensor>> drawAll(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int samples) {
        return FlatLayout.of(parameters)
                .split(ops, inputs.as(Draws.class).draws(), parameters, samples);
    }
}
