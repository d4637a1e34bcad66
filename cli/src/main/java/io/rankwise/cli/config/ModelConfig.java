package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.NUMBER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.api.DType;
import io.rankwise.models.encoder.Pooling;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code model} section: the pretrained encoder and how it is run.
 *
 * @param source {@value #EMBEDDED_MINILM}, or the path of a Hugging Face checkpoint folder
 *     (config.json, model.safetensors, tokenizer.json)
 * @param maxLength tokens per sequence (longer texts are truncated)
 * @param pooling how the sequence becomes one vector for the task head
 * @param dropout dropout rate while training
 * @param dtype parameter and activation type
 */
public record ModelConfig(
        String source, int maxLength, Pooling pooling, double dropout, DType dtype) {

    /** The embedded all-MiniLM-L6-v2 (shipped in a jar, no download). */
    public static final String EMBEDDED_MINILM =
            io.rankwise.training.spec.ModelSources.EMBEDDED_MINILM;

    private static final String EMBEDDED_PREFIX = "embedded:";

    /** The keys of {@code model}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "model",
                    "the pretrained encoder",
                    List.of(
                            ConfigKey.of(
                                    "source",
                                    STRING,
                                    EMBEDDED_MINILM + " or a Hugging Face checkpoint folder",
                                    EMBEDDED_MINILM,
                                    "the encoder: the embedded MiniLM-L6 or a folder with config.json, model.safetensors, tokenizer.json"),
                            ConfigKey.of(
                                    "max_length",
                                    INTEGER,
                                    "integer in [2, 512]",
                                    "128",
                                    "tokens per sequence, [CLS] and [SEP] included; longer texts are truncated"),
                            ConfigKey.of(
                                    "pooling",
                                    STRING,
                                    "pooler, cls, mean",
                                    "pooler",
                                    "the task head: pooler is Hugging Face's head of the model's family (BERT: tanh pooler on [CLS]; RoBERTa: dense, tanh, out_proj; DeBERTa: ContextPooler), which Python's AutoModelForSequenceClassification computes too; cls and mean put one classifier on the first token's state or on the mean over tokens (as sentence-transformers trained MiniLM)"),
                            ConfigKey.of(
                                    "dropout",
                                    NUMBER,
                                    "number in [0, 1)",
                                    "0.1",
                                    "dropout rate while training"),
                            ConfigKey.of(
                                    "dtype",
                                    STRING,
                                    "float32, float64",
                                    "float32",
                                    "parameter and activation type")));

    /** Checks what the mapping checks, for code that builds records directly. */
    public ModelConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(dtype, "dtype");
        if (maxLength < 2 || !(dropout >= 0 && dropout < 1) || !dtype.isFloating()) {
            throw new IllegalArgumentException(
                    "model: max_length >= 2, dropout in [0, 1), dtype float32 or float64");
        }
    }

    /** Whether the encoder is the embedded MiniLM (else {@link #source} is a folder). */
    public boolean embedded() {
        return source.equals(EMBEDDED_MINILM);
    }

    static ModelConfig read(SectionReader r) {
        String source = r.nonBlank("source");
        // Only one model is embedded; a misspelt name would otherwise be taken for a folder.
        if (source.toLowerCase(Locale.ROOT).startsWith(EMBEDDED_PREFIX)) {
            if (!source.equalsIgnoreCase(EMBEDDED_MINILM)) {
                throw r.bad("source");
            }
            source = EMBEDDED_MINILM;
        }
        Pooling pooling =
                Pooling.valueOf(
                        r.oneOf("pooling", List.of("pooler", "cls", "mean"))
                                .toUpperCase(Locale.ROOT));
        DType dtype =
                DType.valueOf(
                        r.oneOf("dtype", List.of("float32", "float64")).toUpperCase(Locale.ROOT));
        return new ModelConfig(
                source,
                r.intValue("max_length", 2, 512),
                pooling,
                r.number("dropout", d -> d >= 0 && d < 1),
                dtype);
    }

    void write(ObjectNode out) {
        out.put("source", source);
        out.put("max_length", maxLength);
        out.put("pooling", pooling.name().toLowerCase(Locale.ROOT));
        out.put("dropout", dropout);
        out.put("dtype", dtype.name().toLowerCase(Locale.ROOT));
    }
}
