package io.rankwise.models.encoder;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;

/** The reshapes between an encoder's hidden states and its attention heads. */
public final class AttentionHeads {
    private AttentionHeads() {}

    /** [B·L, H] → [B, heads, L, headSize]; closes x, which only the result then needs. */
    public static Tensor split(
            Ops ops, Tensor x, long batch, long length, int heads, int headSize) {
        Tensor split = ops.reshape(x, batch, length, heads, headSize);
        Tensor perHead = ops.transpose(split, 0, 2, 1, 3);
        Intermediates.release(perHead, x, split);
        return perHead;
    }
}
