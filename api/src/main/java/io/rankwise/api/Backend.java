package io.rankwise.api;

/**
 * One compute engine on one device: makes tensors and variables and runs step functions. Made by a
 * {@link io.rankwise.api.spi.BackendProvider}; closing it releases everything it holds.
 *
 * <p>A backend that cannot do something throws {@link UnsupportedOperationException} naming itself
 * and the operation.
 */
public interface Backend extends AutoCloseable {

    /** The provider name, e.g. {@code djl} or {@code tensorflow}. */
    String name();

    /** The device computations run on (resolved: never {@code auto}). */
    Device device();

    /**
     * What the backend found: engine version, devices, threads; for logs and the plugins listing.
     */
    String describe();

    /**
     * Copies host values onto the device as a concrete tensor.
     *
     * @throws IllegalArgumentException if {@code values.length} is not the shape's size
     */
    Tensor tensor(double[] values, Shape shape, DType dtype);

    /** Copies host integer values onto the device (for indices). */
    Tensor tensor(long[] values, Shape shape, DType dtype);

    /** A concrete scalar. */
    default Tensor scalar(double value, DType dtype) {
        return tensor(new double[] {value}, Shape.scalar(), dtype);
    }

    /**
     * Creates a variable holding {@code values}.
     *
     * @throws IllegalArgumentException if the name is taken or the length is wrong
     */
    Variable variable(String name, double[] values, Shape shape, DType dtype, boolean trainable);

    /**
     * Creates a variable holding float32 {@code values}: the path for pretrained weights, which are
     * stored as float32 and would double in size as a {@code double[]} (MiniLM's 22.7 M parameters
     * are 91 MB as floats, 182 MB as doubles).
     *
     * <p>Every float32 value is exactly representable in float64, so a float64 variable holds the
     * same numbers either way: {@code v_i = (double) values[i]}. A backend should implement this
     * without an intermediate {@code double[]}; this default widens to one and calls {@link
     * #variable(String, double[], Shape, DType, boolean)}, so that third-party backends keep
     * working, at twice the transient heap.
     *
     * @throws IllegalArgumentException if the name is taken or the length is wrong
     */
    default Variable variable(
            String name, float[] values, Shape shape, DType dtype, boolean trainable) {
        double[] widened = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i];
        }
        return variable(name, widened, shape, dtype, trainable);
    }

    /**
     * Prepares a step function for calls; see {@link StepFunction} for the rules it must follow.
     */
    CompiledFunction compile(StepFunction function);

    /** Releases all native memory the backend holds, variables included. */
    @Override
    void close();
}
