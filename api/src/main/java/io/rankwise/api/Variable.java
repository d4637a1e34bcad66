package io.rankwise.api;

/**
 * Named, mutable state that lives on a {@link Backend} across calls: model parameters and optimizer
 * slots. Inside a step function it is read with {@link Ops#read} and written with {@link
 * Ops#assign}; outside, the host methods below copy values in and out (for checkpoints).
 */
public interface Variable {

    /** The name, unique within its backend. */
    String name();

    /** The dimensions. */
    Shape shape();

    /** The element type. */
    DType dtype();

    /** Whether an optimizer may update it; frozen weights are not trainable. */
    boolean trainable();

    /** Copies the current values to the host, row-major. */
    double[] toDoubles();

    /**
     * Overwrites the values from the host, row-major.
     *
     * @throws IllegalArgumentException if the length is not the variable's size
     */
    void assign(double[] values);
}
