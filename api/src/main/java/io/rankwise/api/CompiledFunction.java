package io.rankwise.api;

import java.util.List;

/**
 * A {@link StepFunction} made callable by a backend. Each call takes concrete tensors and returns
 * new concrete tensors that the caller owns and closes; everything else the call allocated is
 * released before it returns.
 */
public interface CompiledFunction extends AutoCloseable {

    /**
     * Runs the function.
     *
     * @throws IllegalArgumentException if the number of inputs differs from an earlier call's
     */
    List<Tensor> call(List<Tensor> inputs);

    /** Runs the function. */
    default List<Tensor> call(Tensor... inputs) {
        return call(List.of(inputs));
    }

    /** Releases what the function holds (a traced graph's cached signatures). */
    @Override
    default void close() {}
}
