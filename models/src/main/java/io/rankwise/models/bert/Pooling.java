package io.rankwise.models.bert;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/** How a sequence's hidden states [B, L, H] become one vector [B, H] for the task head. */
public enum Pooling {
    /** The hidden state of the first token ([CLS]), as BERT's classifiers use it. */
    CLS,
    /** The mean over non-padding tokens, as sentence-transformers (MiniLM) were trained. */
    MEAN;

    /** Pools {@code hidden} [B, L, H] with {@code mask} [B, L] (1 = token) as a floating tensor. */
    public Tensor pool(Ops ops, Tensor hidden, Tensor mask) {
        long batch = hidden.shape().dim(0);
        long hiddenSize = hidden.shape().dim(2);
        if (this == CLS) {
            return ops.reshape(
                    ops.slice(hidden, new long[] {0, 0, 0}, new long[] {-1, 1, -1}),
                    batch,
                    hiddenSize);
        }
        Tensor m = ops.reshape(ops.cast(mask, hidden.dtype()), batch, hidden.shape().dim(1), 1);
        Tensor summed = ops.sum(ops.mul(hidden, m), new int[] {1}, false);
        Tensor count =
                ops.maximum(ops.sum(m, new int[] {1}, false), ops.scalar(1e-9, hidden.dtype()));
        return ops.div(summed, count);
    }
}
