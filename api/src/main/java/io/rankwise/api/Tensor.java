package io.rankwise.api;

/**
 * An n-dimensional array owned by a {@link Backend}.
 *
 * <p>A tensor is either <em>concrete</em> (holds values: the inputs and outputs of a {@link
 * CompiledFunction}, tensors made by {@link Backend#tensor}) or <em>symbolic</em> (a node of a
 * graph being traced inside a {@link StepFunction} on a graph engine). Host transfers are only
 * allowed on concrete tensors.
 *
 * <p>Concrete tensors hold native memory: close them when done. Closing twice is harmless.
 */
public interface Tensor extends AutoCloseable {

    /** The dimensions. */
    Shape shape();

    /** The element type. */
    DType dtype();

    /** Whether this is a graph node without values (only inside a traced step function). */
    boolean isSymbolic();

    /**
     * Copies the values to the host as doubles, in row-major order (booleans as 0 and 1).
     *
     * @throws IllegalStateException if the tensor is symbolic or closed
     */
    double[] toDoubles();

    /** Copies the values to the host as floats, in row-major order. */
    default float[] toFloats() {
        double[] d = toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Copies the values to the host as longs (floating values are truncated toward zero). */
    default long[] toLongs() {
        double[] d = toDoubles();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    /**
     * The single value of a tensor of size 1.
     *
     * @throws IllegalStateException if the tensor holds more than one element
     */
    default double scalar() {
        if (shape().size() != 1) {
            throw new IllegalStateException(
                    "scalar() needs a tensor of size 1, this one has shape " + shape());
        }
        return toDoubles()[0];
    }

    /** Releases the native memory. */
    @Override
    void close();
}
