package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Variable;

/**
 * A variable on the DJL backend: a reference to its current NDArray, which is never written in
 * place. An update swaps in a new array and frees the old one, so tensors that still view the old
 * array (views share storage through PyTorch's reference counts) keep the old values.
 */
public final class DjlVariable implements Variable {
    private final DjlBackend backend;
    private final String name;
    private final Shape shape;
    private final DType dtype;
    private final boolean trainable;
    private NDArray value;
    private DjlTensor view;

    DjlVariable(
            DjlBackend backend,
            String name,
            NDArray initial,
            Shape shape,
            DType dtype,
            boolean trainable) {
        this.backend = backend;
        this.name = name;
        this.shape = shape;
        this.dtype = dtype;
        this.trainable = trainable;
        install(initial);
    }

    @Override
    public String name() {
        return name;
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
    public boolean trainable() {
        return trainable;
    }

    DjlBackend backend() {
        return backend;
    }

    /** The current value as a borrowed tensor (closing it does nothing). */
    DjlTensor read() {
        backend.checkOpen();
        return view;
    }

    @Override
    public double[] toDoubles() {
        backend.checkOpen();
        return HostArrays.toDoubles(value);
    }

    @Override
    public void assign(double[] values) {
        backend.checkOpen();
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    "djl: variable '"
                            + name
                            + "' has shape "
                            + shape
                            + " ("
                            + shape.size()
                            + " values); got "
                            + values.length
                            + " values");
        }
        NDArray next = HostArrays.upload(backend.manager(), values, shape, dtype);
        NDScope.unregister(next); // a variable outlives any scope the caller may have open
        replace(next);
    }

    /**
     * Makes {@code next} the value and frees the previous one. {@code next} must belong to this
     * variable alone: no scope, tensor or other variable may close it.
     */
    void replace(NDArray next) {
        NDArray old = value;
        install(next);
        old.close();
    }

    private void install(NDArray next) {
        value = next;
        view = DjlTensor.borrowed(next, shape, dtype);
    }

    @Override
    public String toString() {
        return "DjlVariable '"
                + name
                + "' "
                + shape
                + " "
                + dtype
                + (trainable ? " trainable" : " frozen");
    }
}
