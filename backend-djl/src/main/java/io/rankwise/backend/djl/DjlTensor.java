package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;

/**
 * A concrete tensor: a thin wrapper around one PyTorch {@link NDArray}.
 *
 * <p>Who frees the array depends on where the tensor came from:
 *
 * <ul>
 *   <li>{@link Kind#OWNED}: made by {@link DjlBackend#tensor} or returned by a call; the caller
 *       closes it.
 *   <li>{@link Kind#SCOPED}: made by an op during a call; the call's {@link ai.djl.ndarray.NDScope}
 *       frees it.
 *   <li>{@link Kind#BORROWED}: a variable's current value or a cached constant; closing the tensor
 *       does nothing, since the array belongs to someone else.
 * </ul>
 */
public final class DjlTensor implements Tensor {

    /** Who owns the array; see the class comment. */
    enum Kind {
        OWNED,
        SCOPED,
        BORROWED
    }

    private final NDArray array;
    private final Kind kind;
    private Shape shape;
    private DType dtype;
    private boolean closed;

    private DjlTensor(NDArray array, Kind kind, DType dtype) {
        this.array = array;
        this.kind = kind;
        this.dtype = dtype;
    }

    static DjlTensor owned(NDArray array) {
        return new DjlTensor(array, Kind.OWNED, null);
    }

    /** A tensor made inside a call; {@code dtype} may be null when not known for free. */
    static DjlTensor scoped(NDArray array, DType dtype) {
        return new DjlTensor(array, Kind.SCOPED, dtype);
    }

    static DjlTensor borrowed(NDArray array, Shape shape, DType dtype) {
        DjlTensor t = new DjlTensor(array, Kind.BORROWED, dtype);
        t.shape = shape;
        return t;
    }

    /**
     * The wrapped array.
     *
     * @throws IllegalStateException if the tensor was closed
     */
    public NDArray array() {
        if (closed) {
            throw new IllegalStateException("djl: this tensor was closed");
        }
        return array;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public Shape shape() {
        if (shape == null) {
            shape = DTypes.fromDjl(array().getShape());
        }
        return shape;
    }

    /** The dtype if already known without asking the engine, else null. */
    DType knownDtype() {
        return dtype;
    }

    @Override
    public DType dtype() {
        if (dtype == null) {
            dtype = DTypes.fromDjl(array().getDataType());
        }
        return dtype;
    }

    @Override
    public boolean isSymbolic() {
        return false;
    }

    @Override
    public double[] toDoubles() {
        return HostArrays.toDoubles(array());
    }

    @Override
    public long[] toLongs() {
        if (dtype() == DType.INT64) {
            return array().toLongArray(); // exact beyond 2^53, unlike the route through doubles
        }
        return Tensor.super.toLongs();
    }

    @Override
    public void close() {
        if (closed || kind == Kind.BORROWED) {
            return;
        }
        closed = true;
        array.close();
    }

    @Override
    public String toString() {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        return closed
                ? "DjlTensor (closed)"
                : "DjlTensor" + shape() + " " + dtype() + " (" + k + ")";
    }
}
