package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Copies host arrays into new TensorFlow tensors and back. The caller closes what is returned. */
final class HostTensors {
    private HostTensors() {}

    /** A new tensor of {@code dtype} holding {@code values} (booleans: non-zero is true). */
    static Tensor fromDoubles(double[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        org.tensorflow.ndarray.Shape s = Shapes.toTf(shape);
        int n = values.length;
        switch (dtype) {
            case FLOAT64:
                return TFloat64.tensorOf(s, DataBuffers.of(values, true, false));
            case FLOAT32:
                {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) values[i];
                    }
                    return TFloat32.tensorOf(s, DataBuffers.of(f, true, false));
                }
            case INT32:
                {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (int) values[i];
                    }
                    return TInt32.tensorOf(s, DataBuffers.of(v, true, false));
                }
            case INT64:
                {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (long) values[i];
                    }
                    return TInt64.tensorOf(s, DataBuffers.of(v, true, false));
                }
            case BOOL:
                {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = values[i] != 0;
                    }
                    return TBool.tensorOf(s, DataBuffers.of(v, true, false));
                }
            default:
                throw new IllegalArgumentException(
                        "tensorflow: dtype " + dtype + " is not supported");
        }
    }

    /** A new scalar tensor of {@code dtype}. */
    static Tensor scalar(double value, DType dtype) {
        switch (dtype) {
            case FLOAT64:
                return TFloat64.scalarOf(value);
            case FLOAT32:
                return TFloat32.scalarOf((float) value);
            case INT32:
                return TInt32.scalarOf((int) value);
            case INT64:
                return TInt64.scalarOf((long) value);
            case BOOL:
                return TBool.scalarOf(value != 0);
            default:
                throw new IllegalArgumentException(
                        "tensorflow: dtype " + dtype + " is not supported");
        }
    }

    /**
     * A new tensor of {@code dtype} holding float32 {@code values}: copied straight in for FLOAT32
     * (no staging array: weights are large), widened through doubles otherwise, which is exact for
     * every float.
     */
    static Tensor fromFloats(float[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        if (dtype == DType.FLOAT32) {
            return TFloat32.tensorOf(Shapes.toTf(shape), DataBuffers.of(values, true, false));
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return fromDoubles(d, shape, dtype);
    }

    /** A new tensor of {@code dtype} holding {@code values}; exact for INT64. */
    static Tensor fromLongs(long[] values, Shape shape, DType dtype) {
        checkLength(values.length, shape);
        if (dtype == DType.INT64) {
            return TInt64.tensorOf(Shapes.toTf(shape), DataBuffers.of(values, true, false));
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return fromDoubles(d, shape, dtype);
    }

    /** The values as doubles, row-major (booleans as 0 and 1). */
    static double[] toDoubles(Tensor t) {
        int n = Math.toIntExact(t.shape().size());
        double[] out = new double[n];
        if (t instanceof TFloat64) {
            ((TFloat64) t).copyTo(DataBuffers.of(out, false, false));
        } else if (t instanceof TFloat32) {
            float[] f = new float[n];
            ((TFloat32) t).copyTo(DataBuffers.of(f, false, false));
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else if (t instanceof TInt32) {
            int[] v = new int[n];
            ((TInt32) t).copyTo(DataBuffers.of(v, false, false));
            for (int i = 0; i < n; i++) {
                out[i] = v[i];
            }
        } else if (t instanceof TInt64) {
            long[] v = toLongsExact((TInt64) t, n);
            for (int i = 0; i < n; i++) {
                out[i] = v[i];
            }
        } else if (t instanceof TBool) {
            boolean[] v = new boolean[n];
            ((TBool) t).copyTo(DataBuffers.of(v, false, false));
            for (int i = 0; i < n; i++) {
                out[i] = v[i] ? 1 : 0;
            }
        } else {
            throw new UnsupportedOperationException(
                    "tensorflow: cannot read a " + t.dataType() + " tensor to the host");
        }
        return out;
    }

    /** The values as longs: exact for integer types, floating values truncated toward zero. */
    static long[] toLongs(Tensor t) {
        int n = Math.toIntExact(t.shape().size());
        if (t instanceof TInt64) {
            return toLongsExact((TInt64) t, n);
        }
        double[] d = toDoubles(t);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    private static long[] toLongsExact(TInt64 t, int n) {
        long[] v = new long[n];
        t.copyTo(DataBuffers.of(v, false, false));
        return v;
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(
                    "tensorflow: "
                            + length
                            + " values do not fill shape "
                            + shape
                            + ", which holds "
                            + shape.size());
        }
    }
}
