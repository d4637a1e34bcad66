package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;

/**
 * Copies between host arrays and NDArrays, converting on the host so that exactly one native array
 * is made per upload and no temporary array per download.
 */
final class HostArrays {
    private HostArrays() {}

    /** An NDArray on {@code manager}'s device holding {@code values} converted to {@code dtype}. */
    static NDArray upload(NDManager manager, double[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        ai.djl.ndarray.types.Shape s = DTypes.toDjl(shape);
        int n = values.length;
        switch (dtype) {
            case FLOAT64:
                return manager.create(values, s);
            case FLOAT32:
                {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) values[i];
                    }
                    return manager.create(f, s);
                }
            case INT32:
                {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (int) values[i];
                    }
                    return manager.create(v, s);
                }
            case INT64:
                {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (long) values[i];
                    }
                    return manager.create(v, s);
                }
            case BOOL:
                {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = values[i] != 0;
                    }
                    return manager.create(v, s);
                }
            default:
                throw new IllegalArgumentException("djl: dtype " + dtype + " is not supported");
        }
    }

    /**
     * An NDArray holding float32 {@code values} converted to {@code dtype}. A float32 array goes
     * straight to the engine (weights are mostly float32 and large, so no staging array is made);
     * other dtypes widen through doubles, which is exact for every float.
     */
    static NDArray upload(NDManager manager, float[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        if (dtype == DType.FLOAT32) {
            return manager.create(values, DTypes.toDjl(shape));
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return upload(manager, d, shape, dtype);
    }

    /** An NDArray holding integer {@code values} converted to {@code dtype}. */
    static NDArray upload(NDManager manager, long[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        if (dtype == DType.INT64) {
            return manager.create(values, DTypes.toDjl(shape));
        }
        // Every other dtype goes through doubles: exact for int32 and for |v| < 2^53.
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return upload(manager, d, shape, dtype);
    }

    /** The values of {@code array} as doubles, row-major; booleans as 0 and 1. */
    static double[] toDoubles(NDArray array) {
        switch (DTypes.fromDjl(array.getDataType())) {
            case FLOAT64:
                return array.toDoubleArray();
            case FLOAT32:
                {
                    float[] f = array.toFloatArray();
                    double[] d = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        d[i] = f[i];
                    }
                    return d;
                }
            case INT32:
                {
                    int[] v = array.toIntArray();
                    double[] d = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        d[i] = v[i];
                    }
                    return d;
                }
            case INT64:
                {
                    long[] v = array.toLongArray();
                    double[] d = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        d[i] = v[i];
                    }
                    return d;
                }
            case BOOL:
                {
                    boolean[] v = array.toBooleanArray();
                    double[] d = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        d[i] = v[i] ? 1 : 0;
                    }
                    return d;
                }
            default:
                throw new IllegalStateException("unreachable");
        }
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(
                    "djl: "
                            + length
                            + " values do not fit shape "
                            + shape
                            + ", which holds "
                            + shape.size());
        }
    }
}
