package io.rankwise.backend.djl;

import ai.djl.ndarray.NDScope;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import java.util.List;

/**
 * A step function run eagerly on every call. Each call opens an {@link NDScope}, so that every
 * array the function makes is freed when the call returns, except the outputs (handed to the
 * caller) and the values written to variables (handed to the variables); see {@link CallState}.
 */
final class DjlCompiledFunction implements CompiledFunction {
    private final DjlBackend backend;
    private final StepFunction function;
    private int arity = -1;

    DjlCompiledFunction(DjlBackend backend, StepFunction function) {
        this.backend = backend;
        this.function = function;
    }

    @Override
    public List<Tensor> call(List<Tensor> inputs) {
        backend.checkOpen();
        checkInputs(inputs);
        CallState state = new CallState(backend);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<Tensor> results = function.apply(new DjlOps(backend, state), inputs);
            // Must run while the scope is still the innermost one: claiming takes arrays out of it.
            return state.finish(results);
        }
    }

    private void checkInputs(List<Tensor> inputs) {
        if (arity >= 0 && inputs.size() != arity) {
            throw new IllegalArgumentException(
                    "djl: this compiled function was called with "
                            + arity
                            + " inputs before; now with "
                            + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            DjlTensor t = backend.own(inputs.get(i));
            t.array(); // throws if closed
        }
        arity = inputs.size();
    }
}
