package io.rankwise.api.optim;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard-normal draws ε for weight sampling (θ = m + σε). Replaceable, so that a run can draw on
 * the device, draw on the host (the same numbers on every backend), or replay recorded draws.
 *
 * <p>Draws for a step are either made on the device from small seed inputs, or made on the host and
 * fed: so a source contributes inputs to the step ({@link #inputs}, carried in the optimizer's
 * {@link Optimizer.StepInputs}) and reads them back inside the step function ({@link #draw}).
 */
public interface NoiseSource {

    /**
     * What a source needs fed at one step, named by the source: a record implementing this
     * interface whose components are tensors, records of tensors or lists of them ({@link
     * io.rankwise.api.TensorRecords}), e.g. {@code record Inputs(Tensor seed)}. Only the source
     * reads its components; the canonical constructor must accept symbolic tensors.
     */
    interface Inputs {
        /**
         * This, as the source's own record type: what {@link #draw} starts with.
         *
         * @throws IllegalArgumentException if these inputs were made by another kind of source
         */
        default <I extends Inputs> I as(Class<I> type) {
            if (!type.isInstance(this)) {
                throw new IllegalArgumentException(
                        "noise inputs of type "
                                + getClass().getName()
                                + " were given where "
                                + type.getName()
                                + " was expected; pass draw the inputs that this source's inputs() made");
            }
            return type.cast(this);
        }
    }

    /**
     * The concrete tensors this source needs fed at step t for {@code samples} Monte-Carlo samples
     * of {@code parameters}; the caller closes them after the call.
     */
    Inputs inputs(Backend backend, long step, List<Variable> parameters, int samples);

    /**
     * Inside the step function: ε for parameter {@code index} (of {@code parameters}) at
     * Monte-Carlo sample {@code sample}, with the parameter's shape and dtype.
     *
     * @param inputs what {@link #inputs} made, as the step function received it (with symbolic
     *     tensors on graph engines)
     */
    Tensor draw(Ops ops, Inputs inputs, List<Variable> parameters, int index, int sample);

    /**
     * Inside the step function: ε for every parameter at every Monte-Carlo sample of the step, as
     * {@code result.get(sample).get(index)}, with {@link #draw}'s distribution: standard normal
     * elements, independent across elements, parameters, samples and steps. Optimizers call this
     * once per step, so that a source can make all of a step's draws at once (one generator call
     * for every parameter instead of one per parameter and sample); such a source may give other
     * numbers here than {@link #draw} does, but always the same ones for the same inputs. The
     * default calls {@link #draw} for each pair.
     *
     * @param inputs what {@link #inputs} made for {@code samples} samples, as the step function
     *     received it
     */
    default List<List<Tensor>> drawAll(
            Ops ops, Inputs inputs, List<Variable> parameters, int samples) {
        List<List<Tensor>> all = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            List<Tensor> sample = new ArrayList<>(parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                sample.add(draw(ops, inputs, parameters, i, s));
            }
            all.add(sample);
        }
        return all;
    }
}
