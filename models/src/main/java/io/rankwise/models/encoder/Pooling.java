package io.rankwise.models.encoder;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.models.family.ModelFamily;

/**
 * How the task head reads the encoder's hidden states [B, L, H]: Hugging Face's head of the model's
 * family, or a single classifier on one pooled vector [B, H].
 */
public enum Pooling {
    /**
     * The family's Hugging Face head ({@link #layout})): BERT's tanh pooler, RoBERTa's
     * dense–tanh–out_proj head, DeBERTa's ContextPooler, each on the first token, then the
     * classifier, so that Python's {@code AutoModelForSequenceClassification} computes the same.
     */
    POOLER,
    /** The hidden state of the first token, straight into the classifier. */
    CLS,
    /** The mean over non-padding tokens, as sentence-transformers (MiniLM) were trained. */
    MEAN;

    /** The head this pooling gives on an encoder of {@code family}. */
    public HeadLayout layout(ModelFamily family) {
        return switch (this) {
            case POOLER ->
                    switch (family) {
                        case BERT -> HeadLayout.BERT_POOLER;
                        case ROBERTA -> HeadLayout.ROBERTA;
                        case DEBERTA_V2 -> HeadLayout.DEBERTA_POOLER;
                    };
            case CLS -> HeadLayout.CLS_LINEAR;
            case MEAN -> HeadLayout.MEAN_LINEAR;
        };
    }

    /**
     * Pools {@code hidden} (the first token for {@link #POOLER} and {@link #CLS}) [B, L, H] with
     * {@code mask} [B, L] (1 = token) as a floating tensor.
     */
    public Tensor pool(Ops ops, Tensor hidden, Tensor mask) {
        long batch = hidden.shape().dim(0);
        long hiddenSize = hidden.shape().dim(2);
        if (this != MEAN) {
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
