package io.rankwise.models.family;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The encoder architectures Rankwise runs, by the {@code model_type} of a Hugging Face {@code
 * config.json}, with what differs between them outside the encoder itself: the attribute under
 * which Hugging Face's {@code <Family>ForSequenceClassification} holds the encoder (the prefix of
 * every encoder key in its state dict and in a PEFT adapter of it), the linear layers the paper
 * adapts. (Its classification head is {@code HeadLayout}'s concern.)
 *
 * <p>Sources (huggingface/transformers, {@code src/transformers/models/}): {@code
 * bert/modeling_bert.py} ({@code BertForSequenceClassification.bert}, {@code BertPooler}), {@code
 * roberta/modeling_roberta.py} ({@code RobertaForSequenceClassification.roberta}, {@code
 * RobertaClassificationHead}), {@code deberta_v2/modeling_deberta_v2.py} ({@code
 * DebertaV2ForSequenceClassification.deberta}, {@code ContextPooler}).
 */
public enum ModelFamily {
    /** BERT and its distillations (MiniLM): absolute positions, token types, a tanh pooler. */
    BERT(
            "bert",
            "bert",
            List.of(
                    "query",
                    "key",
                    "value",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense")),
    /**
     * RoBERTa: BERT's layers and names, positions counted from {@code pad_token_id + 1}, one token
     * type, and a head of dense, tanh and out_proj.
     */
    ROBERTA(
            "roberta",
            "roberta",
            List.of(
                    "query",
                    "key",
                    "value",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense")),
    /**
     * DeBERTa-v2 and -v3: disentangled attention over relative positions in log buckets, no
     * absolute position input, and the ContextPooler. The targets are the paper's (Table 6 of
     * AdaLoRA, followed by Chen &amp; Garner): every projection of attention and feed-forward.
     */
    DEBERTA_V2(
            "deberta-v2",
            "deberta",
            List.of(
                    "query_proj",
                    "key_proj",
                    "value_proj",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense"));

    private final String modelType;
    private final String encoderAttribute;
    private final List<String> paperTargets;

    ModelFamily(String modelType, String encoderAttribute, List<String> paperTargets) {
        this.modelType = modelType;
        this.encoderAttribute = encoderAttribute;
        this.paperTargets = paperTargets;
    }

    /** The {@code model_type} of its {@code config.json}, e.g. {@code deberta-v2}. */
    public String modelType() {
        return modelType;
    }

    /**
     * The attribute of the {@code ForSequenceClassification} model that holds the encoder: {@code
     * bert}, {@code roberta}, {@code deberta}. Encoder keys are {@code <attribute>.<module>}.
     */
    public String encoderAttribute() {
        return encoderAttribute;
    }

    /** The linear layers the paper adapts, as PEFT {@code target_modules} patterns. */
    public List<String> paperTargets() {
        return paperTargets;
    }

    /**
     * The family of a {@code model_type}.
     *
     * @throws IllegalArgumentException naming the type and the supported ones
     */
    public static ModelFamily ofModelType(String modelType) {
        for (ModelFamily f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "model_type '"
                        + modelType
                        + "' is not supported; supported: "
                        + String.join(", ", supportedTypes()));
    }

    /** The supported {@code model_type}s. */
    public static List<String> supportedTypes() {
        return Arrays.stream(values()).map(ModelFamily::modelType).toList();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
