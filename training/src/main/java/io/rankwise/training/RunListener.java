package io.rankwise.training;

import io.rankwise.training.eval.Evaluation;

/** What a run reports as it goes: the outputs (metrics.jsonl, progress, plots) listen to it. */
public interface RunListener {

    /**
     * The run continues from its checkpoint of {@code checkpointStep}; called before {@link
     * #started}.
     */
    default void resumed(long checkpointStep) {}

    /**
     * The run starts: its total steps and the allocator's phase plan (for a LoRA run, one line
     * saying that its rank stays fixed and nothing is allocated).
     */
    default void started(long totalSteps, String plan) {}

    /**
     * A logged training step; {@code budget} is the allocator's rank budget after it, or a LoRA
     * run's constant total rank.
     */
    default void step(long step, double loss, double lr, int budget, double seconds) {}

    /** An evaluation at {@code step}. */
    default void evaluated(long step, Evaluation evaluation) {}

    /** The run ended with the final rank pattern (empty for a LoRA run). */
    default void finished(RunResult result) {}
}
