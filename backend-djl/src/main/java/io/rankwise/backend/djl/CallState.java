package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one call of a compiled function owes when it ends: the variable writes it deferred, and the
 * hand-over of outputs and written values out of the call's scope.
 *
 * <p>Writes are deferred so that every read in the call sees the value from before it (the contract
 * of {@link io.rankwise.api.Ops#assign}); variables are never written in place, so committing is a
 * swap of arrays.
 *
 * <p>Everything handed over is a detached alias: a new PyTorch handle on the same storage, without
 * autograd history. It costs no copy (well under a microsecond), is safe because no operation
 * writes in place, and works the same whatever the tensor is: an array made by this call (whose own
 * handle the scope then frees), an input, a variable's value, a cached constant, a tensor returned
 * twice, or a value computed inside {@code valueAndGradients} (PyTorch cannot cheaply say whether a
 * non-leaf carries a graph, so every hand-over drops it).
 */
final class CallState {
    private final DjlBackend backend;
    private final Map<DjlVariable, DjlTensor> writes = new LinkedHashMap<>();

    /** Every written value in order, so that a scope can tell which ones it made. */
    private final List<DjlTensor> writeLog = new ArrayList<>();

    private int gradientDepth;

    CallState(DjlBackend backend) {
        this.backend = backend;
    }

    /**
     * Records a write to apply when the call completes; a later write to the same variable wins.
     */
    void write(DjlVariable variable, DjlTensor value) {
        writes.put(variable, value);
        writeLog.add(value);
    }

    /** How many writes have been recorded so far (a later write to one variable counts again). */
    int writeCount() {
        return writeLog.size();
    }

    /** The values written since {@link #writeCount()} returned {@code count}. */
    List<DjlTensor> writesSince(int count) {
        return List.copyOf(writeLog.subList(count, writeLog.size()));
    }

    /** Marks entry into {@code valueAndGradients}; returns whether one was already running. */
    boolean enterGradients() {
        return gradientDepth++ > 0;
    }

    void exitGradients() {
        gradientDepth--;
    }

    /** Whether ops are being recorded for a backward pass (inside a valueAndGradients function). */
    boolean differentiating() {
        return gradientDepth > 0;
    }

    /**
     * Ends the call: hands the outputs to the caller and the written values to their variables.
     * Must run while the call's scope is the innermost one.
     */
    List<Tensor> finish(List<Tensor> results) {
        if (results == null) {
            throw new IllegalArgumentException(
                    "djl: the step function returned null; return List.of() for no outputs");
        }
        List<DjlTensor> outs = new ArrayList<>(results.size());
        for (Tensor t : results) {
            DjlTensor d = backend.own(t);
            d.array(); // throws if the function closed it
            outs.add(d);
        }
        List<Tensor> handed = new ArrayList<>(outs.size());
        for (DjlTensor d : outs) {
            handed.add(DjlTensor.owned(claim(d)));
        }
        // Claim every written value before replacing any variable: a value may be another
        // variable's current array (a swap), which the replacement below frees.
        Map<DjlVariable, NDArray> claimed = new LinkedHashMap<>();
        for (Map.Entry<DjlVariable, DjlTensor> w : writes.entrySet()) {
            claimed.put(w.getKey(), claim(w.getValue()));
        }
        claimed.forEach(DjlVariable::replace);
        return handed;
    }

    private static NDArray claim(DjlTensor t) {
        NDArray alias = t.array().stopGradient();
        NDScope.unregister(alias);
        return alias;
    }
}
