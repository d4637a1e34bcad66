package io.rankwise.optimizers.noise;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.NoiseSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A source whose draws are made on the host and fed as inputs, one tensor per (sample, parameter).
 * Subclasses say where the numbers come from.
 */
abstract class HostFedNoise implements NoiseSource {

    /**
     * The step's draws.
     *
     * @param draws ε per Monte-Carlo sample, then per parameter (so they flatten sample-major)
     */
    record Draws(List<List<Tensor>> draws) implements NoiseSource.Inputs {
        /** Copies the lists. */
        Draws {
            draws = draws.stream().map(List::copyOf).toList();
        }
    }

    /** The draws ε for parameter {@code index} at Monte-Carlo sample {@code sample} of step t. */
    abstract double[] values(long step, int sample, int index, Variable parameter);

    @Override
    public final NoiseSource.Inputs inputs(
            Backend backend, long step, List<Variable> parameters, int samples) {
        List<List<Tensor>> draws = new ArrayList<>(samples);
        try {
            for (int s = 0; s < samples; s++) {
                List<Tensor> sample = new ArrayList<>(parameters.size());
                draws.add(sample);
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
                    sample.add(backend.tensor(eps, p.shape(), p.dtype()));
                }
            }
        } catch (RuntimeException e) {
            draws.forEach(sample -> sample.forEach(Tensor::close));
            throw e;
        }
        return new Draws(draws);
    }

    @Override
    public final Tensor draw(
            Ops ops, NoiseSource.Inputs inputs, List<Variable> parameters, int index, int sample) {
        return inputs.as(Draws.class).draws().get(sample).get(index);
    }
}
