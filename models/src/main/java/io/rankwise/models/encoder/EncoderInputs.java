package io.rankwise.models.encoder;

import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;

/**
 * What the encoder reads of a batch: the tokenizer's output as tensors. A tensor record ({@link
 * TensorRecords}), so it can be a compiled function's input as it is.
 *
 * @param ids the token ids, INT64 [B, L]
 * @param mask the attention mask, INT64 [B, L] (1 for tokens, 0 for padding)
 * @param types the token types (segment ids), INT64 [B, L]
 */
public record EncoderInputs(Tensor ids, Tensor mask, Tensor types) implements AutoCloseable {

    /** Closes the three tensors (when this record owns them). */
    @Override
    public void close() {
        TensorRecords.close(this);
    }
}
