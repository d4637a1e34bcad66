package io.rankwise.api.optim;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;

/**
 * Standard-normal draws ε for weight sampling (θ = m + σε). Replaceable, so that a run can draw on
 * the device, draw on the host (the same numbers on every backend), or replay recorded draws.
 *
 * <p>Draws for a step are either made on the device from small seed inputs, or made on the host and
 * fed: so a source contributes inputs to the step ({@link #inputs}) and reads them back inside the
 * step function ({@link #draw}).
 */
public interface NoiseSource {

    /**
     * The concrete tensors this source needs fed at step t for {@code samples} Monte-Carlo samples of
     * {@code parameters}; the caller closes them after the call.
     */
    List<Tensor> inputs(Backend backend, long step, List<Variable> parameters, int samples);

    /**
     * Inside the step function: ε for parameter {@code index} (of {@code parameters}) at Monte-Carlo
     * sample {@code sample}, with the parameter's shape and dtype.
     *
     * @param inputs the tensors from {@link #inputs}, in order
     */
    Tensor draw(Ops ops, List<Tensor> inputs, List<Variable> parameters, int index, int sample);
}
