package io.rankwise.training;

import io.rankwise.training.eval.Evaluation;

/** What a run reports as it goes: the outputs (metrics.jsonl, progress, plots) listen to it. */
public interface RunListener {

    /**
     * The run continues from its checkpoint of {@code checkpointStep}; called before {@link
     * #started}.
     */
    default void resumed(long checkpointStep) {}

    /** The run starts: its total steps and the allocator's phase plan. */
    default void started(long totalSteps, String plan) {}

    /** A logged training step. */
    default void step(long step, double loss, double lr, int budget, double seconds) {}

    /** An evaluation at {@code step}. */
    default void evaluated(long step, Evaluation evaluation) {}

    /** The run ended with the final rank pattern. */
    default void finished(RunResult result) {}
}
