package io.rankwise.models.encoder;

import java.util.List;

/**
 * The layers of a classification head and their names, as Hugging Face's {@code
 * <Family>ForSequenceClassification} builds them, so that an exported head loads into the Python
 * model under the same keys and computes the same logits. Names are state-dict keys of that model
 * without the {@code .weight}/{@code .bias} suffix.
 *
 * <ul>
 *   <li>{@link #MEAN_LINEAR}: {@code classifier(dropout(mean_t h_t))}, the mean over non-padding
 *       tokens, as sentence-transformers trained MiniLM. Python needs the same pooling (README).
 *   <li>{@link #CLS_LINEAR}: {@code classifier(dropout(h_0))}, the first token's state.
 *   <li>{@link #BERT_POOLER}: {@code classifier(dropout(tanh(pooler(h_0))))}; {@code BertPooler}
 *       then {@code BertForSequenceClassification}.
 *   <li>{@link #ROBERTA}: {@code out_proj(dropout(tanh(dense(dropout(h_0)))))}; {@code
 *       RobertaClassificationHead}.
 *   <li>{@link #DEBERTA_POOLER}: {@code classifier(dropout(gelu(pooler(h_0))))}; {@code
 *       ContextPooler} (with {@code pooler_dropout} 0 and {@code pooler_hidden_act} gelu, as
 *       DeBERTa-v3 configures it), then {@code DebertaV2ForSequenceClassification}.
 * </ul>
 */
public enum HeadLayout {
    MEAN_LINEAR(List.of("classifier"), null, false, List.of("classifier")),
    CLS_LINEAR(List.of("classifier"), null, false, List.of("classifier")),
    BERT_POOLER(
            List.of("bert.pooler.dense", "classifier"),
            Activation.TANH,
            false,
            List.of("classifier", "pooler")),
    ROBERTA(
            List.of("classifier.dense", "classifier.out_proj"),
            Activation.TANH,
            true,
            List.of("classifier")),
    DEBERTA_POOLER(
            List.of("pooler.dense", "classifier"),
            Activation.GELU,
            false,
            List.of("classifier", "pooler"));

    /** The activation between the two dense layers of a two-layer head. */
    public enum Activation {
        TANH,
        GELU
    }

    private final List<String> layers;
    private final Activation activation;
    private final boolean dropoutFirst;
    private final List<String> modulesToSave;

    HeadLayout(
            List<String> layers,
            Activation activation,
            boolean dropoutFirst,
            List<String> modulesToSave) {
        this.layers = layers;
        this.activation = activation;
        this.dropoutFirst = dropoutFirst;
        this.modulesToSave = modulesToSave;
    }

    /** The dense layers, first to last; the last one gives the logits. */
    public List<String> layers() {
        return layers;
    }

    /** The activation after the first of two layers; null for one layer. */
    public Activation activation() {
        return activation;
    }

    /** Whether dropout applies to the pooled vector before the first of two layers. */
    public boolean dropoutFirst() {
        return dropoutFirst;
    }

    /**
     * PEFT's {@code modules_to_save} for this head: module names that PEFT matches as suffixes of
     * the model's module paths and trains and saves in full.
     */
    public List<String> modulesToSave() {
        return modulesToSave;
    }

    /** Whether the head pools by the mean over tokens rather than by the first token. */
    public boolean meanPooled() {
        return this == MEAN_LINEAR;
    }
}
