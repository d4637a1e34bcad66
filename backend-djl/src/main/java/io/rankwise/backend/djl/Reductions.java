package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Sum, mean and max over any set of axes with TensorFlow's conventions, on top of DJL, whose mean
 * and max take one axis only and whose integer sums widen to int64. The axes come checked, sorted
 * and distinct from {@link io.rankwise.api.OpChecks#reductionAxes}.
 */
final class Reductions {
    private Reductions() {}

    static NDArray sum(NDArray x, int[] axes, boolean keepDims) {
        int rank = x.getShape().dimension();
        NDArray r = axes.length == rank && !keepDims ? x.sum() : x.sum(axes, keepDims);
        DataType in = x.getDataType();
        // PyTorch sums int32 into int64; keep the input's type as TensorFlow does.
        return in == DataType.INT32 ? r.toType(DataType.INT32, false) : r;
    }

    static NDArray mean(NDArray x, int[] axes, boolean keepDims) {
        DataType in = x.getDataType();
        if (!in.isFloating()) {
            // PyTorch has no integer mean; TensorFlow truncates the quotient, as this does.
            return mean(x.toType(DataType.FLOAT64, false), axes, keepDims).toType(in, false);
        }
        int rank = x.getShape().dimension();
        if (axes.length == rank && !keepDims) {
            return x.mean();
        }
        if (axes.length == 1) {
            return x.mean(axes, keepDims);
        }
        long count = 1;
        for (int a : axes) {
            count *= x.getShape().get(a);
        }
        return x.sum(axes, keepDims).div((double) count);
    }

    static NDArray max(NDArray x, int[] axes, boolean keepDims) {
        int rank = x.getShape().dimension();
        if (axes.length == rank && !keepDims) {
            return x.max();
        }
        if (axes.length == 1) {
            return x.max(axes, keepDims);
        }
        // One axis at a time, keeping dimensions so that the remaining axis numbers stay valid.
        NDArray r = x;
        for (int i = axes.length - 1; i >= 0; i--) {
            r = r.max(new int[] {axes[i]}, true);
        }
        return keepDims ? r : r.reshape(reducedShape(x.getShape(), axes));
    }

    private static ai.djl.ndarray.types.Shape reducedShape(
            ai.djl.ndarray.types.Shape in, int[] axes) {
        long[] dims = new long[in.dimension() - axes.length];
        int j = 0;
        for (int i = 0; i < in.dimension(); i++) {
            if (Arrays.binarySearch(axes, i) < 0) {
                dims[j++] = in.get(i);
            }
        }
        return new ai.djl.ndarray.types.Shape(dims);
    }
}
