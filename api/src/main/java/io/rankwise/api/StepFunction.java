package io.rankwise.api;

import java.util.List;

/**
 * A computation written once against {@link Ops}: the model, the loss, an optimizer update. A
 * backend runs it through {@link Backend#compile}: DJL calls it eagerly each time; TensorFlow
 * traces it once per input signature into a graph. So the body must not branch on tensor values or
 * keep tensors between calls; host-side decisions belong outside, and step-dependent scalars
 * (learning rate, bias corrections, seeds) are passed as inputs. To read inputs by name rather than
 * by position, write a {@link RecordFunction.Body} over a tensor record instead.
 */
@FunctionalInterface
public interface StepFunction {

    /**
     * Computes the outputs from the inputs.
     *
     * @param ops the backend's operations for this call
     * @param inputs the call's inputs, in order
     * @return the outputs, in order (may be empty when the function only assigns variables)
     */
    List<Tensor> apply(Ops ops, List<Tensor> inputs);
}
