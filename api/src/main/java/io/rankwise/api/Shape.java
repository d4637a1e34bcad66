package io.rankwise.api;

import java.util.Arrays;

/** The dimensions of a tensor, outermost first. A scalar has rank 0 and size 1. Immutable. */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0]);
    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    /**
     * A shape with the given dimensions.
     *
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Shape of(long... dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        "shape "
                                + Arrays.toString(dims)
                                + ": dimension "
                                + i
                                + " is "
                                + dims[i]
                                + "; dimensions must be >= 0");
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** Converts int dimensions. */
    public static Shape of(int... dims) {
        return of(Arrays.stream(dims).asLongStream().toArray());
    }

    /** The rank-0 shape. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end. */
    public long dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** A copy of the dimensions. */
    public long[] dims() {
        return dims.clone();
    }

    /** Dimensions as ints, for engines that want them so. */
    public int[] intDims() {
        return Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long size() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Maps a possibly negative axis into {@code [0, rank)}.
     *
     * @throws IllegalArgumentException naming the axis and the accepted range
     */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException(
                    "axis "
                            + axis
                            + " is out of range for shape "
                            + this
                            + "; accepted: "
                            + (-dims.length)
                            + " to "
                            + (dims.length - 1));
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
