package io.rankwise.models.deberta;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.models.encoder.AdapterFactory;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.PretrainedEncoder;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.NamedArray;
import java.util.Map;

/**
 * A DeBERTa-v2/v3 encoder's pretrained weights, with what its checkpoint holds of a head: {@code
 * DebertaV2ForSequenceClassification}'s {@code pooler.dense} ({@code ContextPooler}) and {@code
 * classifier}, by key. A base checkpoint such as {@code microsoft/deberta-v3-base} has neither.
 *
 * @param weights the encoder weights
 * @param head the checkpoint's {@code pooler.dense.*} and {@code classifier.*} tensors, by key
 */
public record DebertaPretrained(DebertaWeights weights, Map<String, NamedArray> head)
        implements PretrainedEncoder {

    /** Copies the map. */
    public DebertaPretrained {
        head = Map.copyOf(head);
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.DEBERTA_V2;
    }

    @Override
    public int hiddenSize() {
        return weights.config().hiddenSize();
    }

    @Override
    public int padTokenId() {
        return weights.config().padTokenId();
    }

    /** {@code max_position_embeddings}; see {@link DebertaConfig#maxSequenceLength()}. */
    @Override
    public int maxSequenceLength() {
        return weights.config().maxSequenceLength();
    }

    @Override
    public Map<String, NamedArray> headTensors() {
        return head;
    }

    @Override
    public Encoder build(
            Backend backend,
            DType dtype,
            TargetModules targets,
            AdapterFactory adapters,
            String prefix) {
        return new DebertaEncoder(backend, weights, dtype, targets, adapters, prefix);
    }
}
