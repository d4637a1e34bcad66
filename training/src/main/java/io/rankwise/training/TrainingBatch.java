package io.rankwise.training;

import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;
import io.rankwise.models.encoder.ClassifierBatch;

/**
 * One micro-batch of a fine-tuning step: the classifier's batch and the seed its dropout masks are
 * drawn from. A tensor record ({@link TensorRecords}): it flattens to ids, mask, types, labels,
 * dropout seed.
 *
 * @param batch the tokens and labels
 * @param dropoutSeed INT64 [2]: {@code [seed, t · 64 + b]} for step t and micro-batch b, so that
 *     the masks are a pure function of the run's seed and the position in the run (which makes
 *     resuming exact)
 */
public record TrainingBatch(ClassifierBatch batch, Tensor dropoutSeed) implements AutoCloseable {

    /** Closes the five tensors. */
    @Override
    public void close() {
        TensorRecords.close(this);
    }
}
