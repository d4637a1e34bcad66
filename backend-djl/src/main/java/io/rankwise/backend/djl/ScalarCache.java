package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scalar constants kept on the device across calls. Step functions write hyper-parameters as
 * scalars ({@code ops.mul(m, beta1)}); making a 0-d native array costs about as much as the
 * multiplication itself, so each distinct (dtype, value) is made once and then shared. The arrays
 * are immutable (no op writes in place), so sharing is safe. The cache is bounded: past {@link
 * #CAPACITY} entries, new values are made per call instead.
 */
final class ScalarCache {
    private static final int CAPACITY = 4096;
    private static final ai.djl.ndarray.types.Shape SCALAR = new ai.djl.ndarray.types.Shape();

    private record Key(DType dtype, long bits) {}

    private final PtNDManager manager;
    private final ConcurrentHashMap<Key, DjlTensor> entries = new ConcurrentHashMap<>();

    ScalarCache(PtNDManager manager) {
        this.manager = manager;
    }

    /** A shared scalar, or null when the cache is full (the caller then makes its own). */
    DjlTensor get(double value, DType dtype) {
        Key key = new Key(dtype, Double.doubleToLongBits(value));
        DjlTensor hit = entries.get(key);
        if (hit != null || entries.size() >= CAPACITY) {
            return hit;
        }
        return entries.computeIfAbsent(
                key,
                k -> {
                    NDArray a = make(manager, value, dtype);
                    NDScope.unregister(
                            a); // lives until the backend closes, not until the current call ends
                    return DjlTensor.borrowed(a, Shape.scalar(), dtype);
                });
    }

    /**
     * A 0-d array holding {@code value}; exact in float64 (NDManager.full would round it to float).
     */
    static NDArray make(PtNDManager manager, double value, DType dtype) {
        return JniUtils.full(
                manager,
                SCALAR,
                value,
                DTypes.toDjl(dtype),
                manager.getDevice(),
                SparseFormat.DENSE);
    }

    /** Forgets the entries; their arrays are freed with the backend's manager. */
    void clear() {
        entries.clear();
    }
}
