package io.rankwise.models.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, dense, row-major float32 array: one weight tensor of a model.
 *
 * <p>The shape is copied; the data array is shared, not copied, because weight tensors are large
 * (the word embeddings of MiniLM are 47 MB). Treat {@code data} as read-only.
 *
 * @param name the tensor's name, e.g. {@code encoder.layer.0.attention.self.query.weight}
 * @param shape the dimensions, outermost first; the empty shape is a scalar
 * @param data the elements in row-major order; its length is the product of {@code shape}
 */
public record NamedArray(String name, long[] shape, float[] data) {

    /** Checks that the shape is non-negative and matches the data length. */
    public NamedArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "': shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + count
                            + " elements but the data has "
                            + data.length);
        }
    }

    /**
     * The product of {@code shape}, checked: every dimension must be non-negative and the product
     * must fit in a long.
     *
     * @throws IllegalArgumentException naming the shape otherwise
     */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " overflows a long", e);
            }
        }
        return count;
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code axis}. */
    public long dim(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The same data under another name. */
    public NamedArray withName(String newName) {
        return new NamedArray(newName, shape, data);
    }

    /** The transpose of a 2-D array: [rows, cols] becomes [cols, rows], data copied. */
    public NamedArray transpose2d() {
        if (shape.length != 2) {
            throw new IllegalStateException(
                    "tensor '"
                            + name
                            + "' has shape "
                            + Arrays.toString(shape)
                            + "; transpose2d needs rank 2");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[base + c];
            }
        }
        return new NamedArray(name, new long[] {cols, rows}, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray other
                && name.equals(other.name)
                && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "NamedArray[" + name + " " + Arrays.toString(shape) + "]";
    }
}
