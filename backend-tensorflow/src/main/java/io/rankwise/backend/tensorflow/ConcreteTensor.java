package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;

/**
 * A tensor with values: a TensorFlow host tensor made by {@link TfBackend#tensor} or fetched by a
 * compiled call. It owns the native buffer and frees it on {@link #close()}.
 */
final class ConcreteTensor implements Tensor {
    private final TfBackend backend;
    private final Shape shape;
    private final DType dtype;
    private volatile org.tensorflow.Tensor value;

    ConcreteTensor(TfBackend backend, org.tensorflow.Tensor value) {
        this.backend = backend;
        this.value = value;
        this.shape = Shape.of(value.shape().asArray());
        this.dtype = DTypes.fromTf(value.dataType());
    }

    /** The backend that made it. */
    TfBackend backend() {
        return backend;
    }

    /**
     * The TensorFlow tensor, for feeding.
     *
     * @throws IllegalStateException if closed
     */
    org.tensorflow.Tensor value() {
        org.tensorflow.Tensor v = value;
        if (v == null) {
            throw new IllegalStateException(
                    "tensorflow: this " + dtype + " tensor of shape " + shape + " is closed");
        }
        return v;
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
        return false;
    }

    @Override
    public double[] toDoubles() {
        return HostTensors.toDoubles(value());
    }

    /** Exact for INT64 values beyond 2^53, unlike the default through doubles. */
    @Override
    public long[] toLongs() {
        return HostTensors.toLongs(value());
    }

    @Override
    public void close() {
        org.tensorflow.Tensor v;
        synchronized (this) {
            v = value;
            value = null;
        }
        if (v != null) {
            v.close();
        }
    }

    @Override
    public String toString() {
        return "tensorflow " + dtype + shape + (value == null ? " (closed)" : "");
    }
}
