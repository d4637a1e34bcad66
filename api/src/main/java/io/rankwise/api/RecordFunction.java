package io.rankwise.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled function whose inputs are a named tensor record ({@link TensorRecords}) instead of a
 * list read by position: the caller passes, say, a batch record with its optimizer's step inputs,
 * and the body reads {@code in.batch().ids()} and {@code in.step()}. Each call flattens the record
 * into the backend's {@code List<Tensor>}; the body gets the record rebuilt from the (possibly
 * symbolic) flat inputs.
 *
 * <p>One {@link CompiledFunction} is kept per input {@link TensorRecords.Layout layout}, so a body
 * is only ever traced for the structure it is rebuilt with (on TensorFlow, a trace is cached per
 * input signature, and two layouts must not share one). A function called with one layout, as a
 * training loop does, compiles once.
 *
 * @param <I> the input record type
 */
public final class RecordFunction<I> implements AutoCloseable {

    /**
     * The computation, written once against {@link Ops}; the rules of {@link StepFunction} apply.
     *
     * @param <I> the input record type
     */
    @FunctionalInterface
    public interface Body<I> {
        /**
         * Computes the outputs from the inputs.
         *
         * @param ops the backend's operations for this call
         * @param inputs the call's inputs, rebuilt from the flat tensors
         * @return the outputs, in order (may be empty when the function only assigns variables)
         */
        List<Tensor> apply(Ops ops, I inputs);
    }

    private final Backend backend;
    private final Body<I> body;
    private final Map<TensorRecords.Layout<I>, CompiledFunction> compiled = new LinkedHashMap<>();

    private RecordFunction(Backend backend, Body<I> body) {
        this.backend = backend;
        this.body = body;
    }

    /**
     * Prepares {@code body} for calls on {@code backend} (compiling happens at the first call of
     * each layout).
     */
    public static <I> RecordFunction<I> compile(Backend backend, Body<I> body) {
        return new RecordFunction<>(backend, body);
    }

    /**
     * Runs the function on {@code inputs}. The returned tensors are the caller's to close; the
     * inputs stay the caller's too.
     *
     * @throws IllegalArgumentException if {@code inputs} is not a tensor record
     */
    public List<Tensor> call(I inputs) {
        TensorRecords.Layout<I> layout = TensorRecords.layout(inputs);
        CompiledFunction function =
                compiled.computeIfAbsent(
                        layout,
                        l -> backend.compile((ops, flat) -> body.apply(ops, l.unflatten(flat))));
        return function.call(TensorRecords.flatten(inputs));
    }

    /** Releases the compiled functions. */
    @Override
    public void close() {
        compiled.values().forEach(CompiledFunction::close);
        compiled.clear();
    }
}
