package io.rankwise.models.encoder;

import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;

/**
 * One batch for a {@link SequenceClassifier}: the encoder's inputs and the gold labels. A tensor
 * record ({@link TensorRecords}): it flattens to ids, mask, types, labels.
 *
 * @param inputs what the encoder reads
 * @param labels INT64 [B] class indices, or floating [B] targets for regression
 */
public record ClassifierBatch(EncoderInputs inputs, Tensor labels) implements AutoCloseable {

    /** Closes the four tensors (when this record owns them). */
    @Override
    public void close() {
        TensorRecords.close(this);
    }
}
