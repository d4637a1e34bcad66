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
     * Prepares a step function for calls; see {@link StepFunction} for the rules it must follow.
     */
    CompiledFunction compile(StepFunction function);

    /** Releases all native memory the backend holds, variables included. */
    @Override
    void close();
}
