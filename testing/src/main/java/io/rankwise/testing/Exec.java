package io.rankwise.testing;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs step functions on a backend with host inputs and reads the results back, closing what it
 * made.
 */
public final class Exec {
    private Exec() {}

    /** A host value with the element type to feed it as. */
    public record In(RefArray value, DType dtype) {}

    /** A result read back from the device. */
    public record Out(Shape shape, DType dtype, double[] values) {
        public RefArray array() {
            return new RefArray(shape.dims(), values);
        }
    }

    /** Makes a concrete tensor: integer types from longs, the others from doubles. */
    public static Tensor tensor(Backend backend, RefArray value, DType dtype) {
        return dtype.isInteger()
                ? backend.tensor(value.longs(), value.shapeObject(), dtype)
                : backend.tensor(value.data.clone(), value.shapeObject(), dtype);
    }

    /**
     * Compiles {@code fn}, calls it once with {@code inputs} and returns the outputs as host
     * values.
     */
    public static List<Out> run(Backend backend, StepFunction fn, List<In> inputs) {
        try (CompiledFunction f = backend.compile(fn)) {
            return call(backend, f, inputs);
        }
    }

    /**
     * As {@link #run(Backend, StepFunction, List)}, turning an engine exception into a failure that
     * says what ran.
     */
    public static List<Out> run(String what, Backend backend, StepFunction fn, List<In> inputs) {
        try {
            return run(backend, fn, inputs);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": the backend threw " + e, e);
        }
    }

    /** Calls an already compiled function once. */
    public static List<Out> call(Backend backend, CompiledFunction f, List<In> inputs) {
        List<Tensor> ts = new ArrayList<>();
        try {
            for (In in : inputs) {
                ts.add(tensor(backend, in.value(), in.dtype()));
            }
            List<Tensor> outs = f.call(ts);
            List<Out> result = new ArrayList<>();
            try {
                for (Tensor t : outs) {
                    if (t.isSymbolic()) {
                        throw new AssertionError(
                                backend.name()
                                        + ": a compiled function returned a symbolic tensor");
                    }
                    result.add(new Out(t.shape(), t.dtype(), t.toDoubles()));
                }
            } finally {
                outs.forEach(Tensor::close);
            }
            return result;
        } finally {
            ts.forEach(Tensor::close);
        }
    }
}
