package io.rankwise.testing;

import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The float64 reference: a row-major n-dimensional array with NumPy semantics, written in plain
 * Java and independent of every backend. Immutable by convention (no method mutates its receiver).
 */
public final class RefArray {
    public final long[] shape;
    public final double[] data;

    public RefArray(long[] shape, double[] data) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static RefArray of(double[] data, long... shape) {
        return new RefArray(shape, data.clone());
    }

    public static RefArray scalar(double v) {
        return new RefArray(new long[0], new double[] {v});
    }

    public static RefArray full(double v, long... shape) {
        double[] d = new double[sizeOf(shape)];
        Arrays.fill(d, v);
        return new RefArray(shape, d);
    }

    public static RefArray normal(HostRandom r, double mean, double std, long... shape) {
        return new RefArray(shape, r.normal(sizeOf(shape), mean, std));
    }

    public static RefArray uniform(HostRandom r, double low, double high, long... shape) {
        return new RefArray(shape, r.uniform(sizeOf(shape), low, high));
    }

    /** Integers uniform in [0, bound), stored as doubles. */
    public static RefArray integers(HostRandom r, long bound, long... shape) {
        long[] l = r.integers(sizeOf(shape), bound);
        double[] d = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            d[i] = l[i];
        }
        return new RefArray(shape, d);
    }

    static int sizeOf(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    public Shape shapeObject() {
        return Shape.of(shape);
    }

    public long[] longs() {
        long[] l = new long[data.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) data[i];
        }
        return l;
    }

    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public RefArray withData(double[] d) {
        return new RefArray(shape, d);
    }

    @Override
    public String toString() {
        return "RefArray" + Arrays.toString(shape) + Arrays.toString(data);
    }

    // ------------------------------------------------------------------ indexing helpers

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static int[] unravel(long flat, long[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = (int) (flat % shape[i]);
            flat /= shape[i];
        }
        return idx;
    }

    static int normalizeAxis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** NumPy broadcast of several shapes. */
    static long[] broadcastShape(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] == out[o] || s[i] == 1) {
                    continue;
                }
                if (out[o] == 1) {
                    out[o] = s[i];
                } else {
                    throw new IllegalArgumentException(
                            "shapes do not broadcast: " + Arrays.deepToString(shapes));
                }
            }
        }
        return out;
    }

    /**
     * Offset into an array of shape {@code s} for an output index {@code idx} of a broadcast shape.
     */
    private static int broadcastOffset(int[] idx, long[] s) {
        long[] st = strides(s);
        long off = 0;
        int shift = idx.length - s.length;
        for (int i = 0; i < s.length; i++) {
            if (s[i] != 1) {
                off += idx[shift + i] * st[i];
            }
        }
        return (int) off;
    }

    // ------------------------------------------------------------------ element-wise

    public RefArray map(DoubleUnaryOperator f) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = f.applyAsDouble(data[i]);
        }
        return new RefArray(shape, d);
    }

    public static RefArray zip(RefArray a, RefArray b, DoubleBinaryOperator f) {
        long[] out = broadcastShape(a.shape, b.shape);
        double[] d = new double[sizeOf(out)];
        for (int i = 0; i < d.length; i++) {
            int[] idx = unravel(i, out);
            d[i] =
                    f.applyAsDouble(
                            a.data[broadcastOffset(idx, a.shape)],
                            b.data[broadcastOffset(idx, b.shape)]);
        }
        return new RefArray(out, d);
    }

    public static RefArray where(RefArray mask, RefArray a, RefArray b) {
        long[] out = broadcastShape(mask.shape, a.shape, b.shape);
        double[] d = new double[sizeOf(out)];
        for (int i = 0; i < d.length; i++) {
            int[] idx = unravel(i, out);
            boolean m = mask.data[broadcastOffset(idx, mask.shape)] != 0;
            d[i] =
                    m
                            ? a.data[broadcastOffset(idx, a.shape)]
                            : b.data[broadcastOffset(idx, b.shape)];
        }
        return new RefArray(out, d);
    }

    public RefArray add(RefArray o) {
        return zip(this, o, Double::sum);
    }

    public RefArray sub(RefArray o) {
        return zip(this, o, (x, y) -> x - y);
    }

    public RefArray mul(RefArray o) {
        return zip(this, o, (x, y) -> x * y);
    }

    public RefArray div(RefArray o) {
        return zip(this, o, (x, y) -> x / y);
    }

    public RefArray clip(double low, double high) {
        return map(x -> Math.min(Math.max(x, low), high));
    }

    /**
     * Rounds every value to the nearest float32 (for float32 inputs, so that both sides see the
     * same numbers).
     */
    public RefArray roundToFloat32() {
        return map(x -> (double) (float) x);
    }

    /**
     * Element type conversion with the engines' semantics: floats to integers truncate toward zero.
     */
    public RefArray cast(DType to) {
        switch (to) {
            case FLOAT32:
                return roundToFloat32();
            case FLOAT64:
                return this;
            case INT32:
                return map(x -> (double) (int) x);
            case INT64:
                return map(x -> (double) (long) x);
            case BOOL:
                return map(x -> x != 0 ? 1 : 0);
            default:
                throw new IllegalArgumentException(String.valueOf(to));
        }
    }

    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    public static double gelu(double x) {
        return x * 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /**
     * The error function to within a few ulp (checked against 40-digit values to below 1e-15): for
     * |x| &lt; 1 the Maclaurin series 2/√π Σₙ (−1)ⁿ x^{2n+1} / (n!(2n+1)) (terms fall fast, little
     * cancellation); for |x| ≥ 1, 1 − erfc |x| with erfc from the Laplace continued fraction.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r;
        if (ax < 1.0) {
            double x2 = ax * ax;
            double term = ax; // (-1)^n x^(2n+1) / n!
            double sum = 0;
            for (int n = 0; n < 100; n++) {
                double c = term / (2 * n + 1);
                sum += c;
                if (Math.abs(c) < 1e-17 * Math.abs(sum)) {
                    break;
                }
                term *= -x2 / (n + 1);
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else {
            r = 1.0 - erfcLarge(ax);
        }
        return x < 0 ? -r : r;
    }

    /** erfc x for x ≥ 1 by the Laplace continued fraction, evaluated bottom-up (200 levels). */
    static double erfcLarge(double x) {
        // erfc x = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double f = x;
        for (int k = 200; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    // ------------------------------------------------------------------ reductions

    public enum Reduction {
        SUM,
        MEAN,
        MAX
    }

    public RefArray reduce(int[] axes, boolean keepDims, Reduction kind) {
        boolean[] reduced = new boolean[rank()];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int a : axes) {
            reduced[normalizeAxis(a, rank())] = true;
        }
        long[] kept = new long[rank()];
        int outRank = 0;
        long count = 1;
        for (int i = 0; i < rank(); i++) {
            kept[i] = reduced[i] ? 1 : shape[i];
            if (reduced[i]) {
                count *= shape[i];
            } else {
                outRank++;
            }
        }
        double[] acc = new double[sizeOf(kept)];
        if (kind == Reduction.MAX) {
            Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        for (int i = 0; i < data.length; i++) {
            int[] idx = unravel(i, shape);
            int o = broadcastOffset(idx, kept);
            acc[o] = kind == Reduction.MAX ? Math.max(acc[o], data[i]) : acc[o] + data[i];
        }
        if (kind == Reduction.MEAN) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= count;
            }
        }
        if (keepDims) {
            return new RefArray(kept, acc);
        }
        long[] out = new long[outRank];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (!reduced[i]) {
                out[j++] = shape[i];
            }
        }
        return new RefArray(out, acc);
    }

    public RefArray sum(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, Reduction.SUM);
    }

    public RefArray mean(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, Reduction.MEAN);
    }

    public RefArray max(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, Reduction.MAX);
    }

    public double sumAll() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    // ------------------------------------------------------------------ linear algebra and shapes

    /** [..., n, k] × [..., k, m] with broadcast batch dimensions. */
    public static RefArray matmul(RefArray a, RefArray b) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2");
        }
        long n = a.shape[a.rank() - 2];
        long k = a.shape[a.rank() - 1];
        long k2 = b.shape[b.rank() - 2];
        long m = b.shape[b.rank() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + k2);
        }
        long[] aBatch = Arrays.copyOf(a.shape, a.rank() - 2);
        long[] bBatch = Arrays.copyOf(b.shape, b.rank() - 2);
        long[] batch = broadcastShape(aBatch, bBatch);
        int batches = sizeOf(batch);
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = n;
        out[batch.length + 1] = m;
        double[] d = new double[sizeOf(out)];
        for (int bi = 0; bi < batches; bi++) {
            int[] idx = unravel(bi, batch);
            int aOff = broadcastOffset(idx, aBatch) * (int) (n * k);
            int bOff = broadcastOffset(idx, bBatch) * (int) (k * m);
            int oOff = bi * (int) (n * m);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int t = 0; t < k; t++) {
                        s += a.data[aOff + i * (int) k + t] * b.data[bOff + t * (int) m + j];
                    }
                    d[oOff + i * (int) m + j] = s;
                }
            }
        }
        return new RefArray(out, d);
    }

    public RefArray transpose(int... perm) {
        long[] out = new long[rank()];
        for (int i = 0; i < rank(); i++) {
            out[i] = shape[perm[i]];
        }
        long[] inStrides = strides(shape);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            int[] idx = unravel(i, out);
            long off = 0;
            for (int ax = 0; ax < rank(); ax++) {
                off += idx[ax] * inStrides[perm[ax]];
            }
            d[i] = data[(int) off];
        }
        return new RefArray(out, d);
    }

    public RefArray reshape(long... dims) {
        long[] out = dims.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                inferred = i;
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0) {
            out[inferred] = data.length / known;
        }
        return new RefArray(out, data.clone());
    }

    public static RefArray concat(List<RefArray> parts, int axis) {
        RefArray first = parts.get(0);
        int ax = normalizeAxis(axis, first.rank());
        long[] out = first.shape.clone();
        out[ax] = 0;
        for (RefArray p : parts) {
            out[ax] += p.shape[ax];
        }
        int outer = sizeOf(Arrays.copyOf(first.shape, ax));
        double[] d = new double[sizeOf(out)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (RefArray p : parts) {
                int chunk = p.data.length / outer;
                System.arraycopy(p.data, o * chunk, d, pos, chunk);
                pos += chunk;
            }
        }
        return new RefArray(out, d);
    }

    public RefArray slice(long[] begin, long[] size) {
        long[] out = new long[rank()];
        for (int i = 0; i < rank(); i++) {
            out[i] = size[i] == -1 ? shape[i] - begin[i] : size[i];
        }
        long[] st = strides(shape);
        double[] d = new double[sizeOf(out)];
        for (int i = 0; i < d.length; i++) {
            int[] idx = unravel(i, out);
            long off = 0;
            for (int ax = 0; ax < rank(); ax++) {
                off += (idx[ax] + begin[ax]) * st[ax];
            }
            d[i] = data[(int) off];
        }
        return new RefArray(out, d);
    }

    /** TF GatherV2 with batch_dims 0: out shape = params[:axis] + indices + params[axis+1:]. */
    public RefArray gather(RefArray indices, int axis) {
        int ax = normalizeAxis(axis, rank());
        int outer = sizeOf(Arrays.copyOf(shape, ax));
        int n = (int) shape[ax];
        int inner = sizeOf(Arrays.copyOfRange(shape, ax + 1, rank()));
        int ni = indices.size();
        long[] out = new long[rank() - 1 + indices.rank()];
        System.arraycopy(shape, 0, out, 0, ax);
        System.arraycopy(indices.shape, 0, out, ax, indices.rank());
        System.arraycopy(shape, ax + 1, out, ax + indices.rank(), rank() - ax - 1);
        double[] d = new double[outer * ni * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < ni; j++) {
                int row = (int) indices.data[j];
                if (row < 0 || row >= n) {
                    throw new IllegalArgumentException("index " + row + " out of range");
                }
                System.arraycopy(data, (o * n + row) * inner, d, (o * ni + j) * inner, inner);
            }
        }
        return new RefArray(out, d);
    }

    /** This array holds integer indices; a new last axis of length depth. */
    public RefArray oneHot(int depth) {
        long[] out = Arrays.copyOf(shape, rank() + 1);
        out[rank()] = depth;
        double[] d = new double[data.length * depth];
        for (int i = 0; i < data.length; i++) {
            int k = (int) data[i];
            if (k >= 0 && k < depth) {
                d[i * depth + k] = 1;
            }
        }
        return new RefArray(out, d);
    }

    public RefArray softmax(int axis) {
        int[] ax = {axis};
        RefArray e = sub(max(ax, true)).map(Math::exp);
        return e.div(e.sum(ax, true));
    }

    public RefArray logSoftmax(int axis) {
        int[] ax = {axis};
        RefArray shifted = sub(max(ax, true));
        RefArray logSum = shifted.map(Math::exp).sum(ax, true).map(Math::log);
        return shifted.sub(logSum);
    }

    /** Over the last axis with the biased variance. */
    public RefArray layerNorm(RefArray gamma, RefArray beta, double eps) {
        int[] last = {-1};
        RefArray centred = sub(mean(last, true));
        RefArray var = centred.map(v -> v * v).mean(last, true);
        return centred.div(var.map(v -> Math.sqrt(v + eps))).mul(gamma).add(beta);
    }
}
