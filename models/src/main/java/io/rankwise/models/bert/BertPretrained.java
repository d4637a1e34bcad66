package io.rankwise.models.bert;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.models.encoder.AdapterFactory;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.PretrainedEncoder;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.BertNames;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.NamedArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT or RoBERTa encoder's pretrained weights, with what its checkpoint holds of a head: BERT's
 * pooler (under {@code bert.pooler.dense}, as {@code BertForSequenceClassification} names it) and a
 * fine-tuned {@code classifier}.
 *
 * @param weights the encoder (and pooler) weights
 * @param classifier the checkpoint's {@code classifier.*} tensors, by key
 */
public record BertPretrained(BertWeights weights, Map<String, NamedArray> classifier)
        implements PretrainedEncoder {

    /** Copies the map. */
    public BertPretrained {
        classifier = Map.copyOf(classifier);
    }

    @Override
    public ModelFamily family() {
        return weights.config().family();
    }

    @Override
    public int hiddenSize() {
        return weights.config().hiddenSize();
    }

    @Override
    public int maxSequenceLength() {
        return weights.config().maxSequenceLength();
    }

    @Override
    public int padTokenId() {
        return weights.config().padTokenId();
    }

    @Override
    public Map<String, NamedArray> headTensors() {
        Map<String, NamedArray> head = new LinkedHashMap<>(classifier);
        String pooler = family().encoderAttribute() + ".pooler.dense.";
        weights.find(BertNames.POOLER_WEIGHT).ifPresent(w -> head.put(pooler + "weight", w));
        weights.find(BertNames.POOLER_BIAS).ifPresent(b -> head.put(pooler + "bias", b));
        return head;
    }

    @Override
    public Encoder build(
            Backend backend,
            DType dtype,
            TargetModules targets,
            AdapterFactory adapters,
            String prefix) {
        return new BertEncoder(backend, weights, dtype, targets, adapters, prefix);
    }
}
