package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import org.tensorflow.Output;

/**
 * A node output of the graph, made while tracing a step function. It has a static shape and dtype
 * but no values; it is valid only inside the trace that made it.
 */
final class SymbolicTensor implements Tensor {
    private final Trace trace;
    private final Output<?> output;
    private final Shape shape;
    private final DType dtype;

    SymbolicTensor(Trace trace, Output<?> output) {
        this.trace = trace;
        this.output = output;
        this.dtype = DTypes.fromTf(output.dataType());
        this.shape = Shapes.fromTf(output.shape(), "the output of " + output.op().type());
    }

    Trace trace() {
        return trace;
    }

    Output<?> output() {
        return output;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public boolean isSymbolic() {
        return true;
    }

    @Override
    public double[] toDoubles() {
        throw new IllegalStateException(
                "tensorflow: this "
                        + dtype
                        + shape
                        + " tensor ("
                        + output.op().type()
                        + ") is a graph node being traced and has no values yet; return it from the step function"
                        + " and read the concrete output of the call instead");
    }

    /** Nothing to free: the node belongs to the graph. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "tensorflow symbolic " + dtype + shape + " (" + output.op().name() + ")";
    }
}
