package io.rankwise.models.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankwise.models.bert.BertPretrained;
import io.rankwise.models.deberta.DebertaCheckpoint;
import io.rankwise.models.deberta.DebertaPretrained;
import io.rankwise.models.encoder.PretrainedEncoder;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.EmbeddedModel;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.models.weights.HuggingFaceCheckpoint;
import io.rankwise.models.weights.JsonFiles;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where pretrained encoders come from: the embedded MiniLM, or a Hugging Face checkpoint folder of
 * any supported family, which its {@code config.json}'s {@code model_type} names.
 */
public final class PretrainedModels {

    /**
     * An encoder's weights and its tokenizer.
     *
     * @param encoder the validated weights
     * @param tokenizerJson the Hugging Face {@code tokenizer.json} that goes with them
     */
    public record Loaded(PretrainedEncoder encoder, Path tokenizerJson) {}

    private PretrainedModels() {}

    /** The embedded all-MiniLM-L6-v2 (a BERT), read from its jar. */
    public static Loaded embeddedMiniLm() throws IOException {
        EmbeddedModel m = EmbeddedModels.miniLmL6();
        return new Loaded(new BertPretrained(m.loadWeights(), Map.of()), m.tokenizerJson());
    }

    /**
     * Loads the checkpoint folder {@code directory}: {@code config.json}, the safetensors weights
     * and {@code tokenizer.json}.
     *
     * @throws NoSuchFileException if the folder or its config.json is missing
     * @throws WeightFormatException if the type is not supported, or the weights are absent,
     *     malformed, or do not fit the config
     */
    public static Loaded load(Path directory) throws IOException {
        Path config = directory.resolve(HuggingFaceCheckpoint.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new NoSuchFileException(
                    config.toString(), null, "a Hugging Face checkpoint folder needs config.json");
        }
        ModelFamily family = familyOf(config);
        PretrainedEncoder encoder =
                switch (family) {
                    case BERT, ROBERTA -> {
                        HuggingFaceCheckpoint checkpoint = HuggingFaceCheckpoint.load(directory);
                        yield new BertPretrained(checkpoint.weights(), checkpoint.classifier());
                    }
                    case DEBERTA_V2 -> {
                        DebertaCheckpoint.Loaded checkpoint = DebertaCheckpoint.load(directory);
                        yield new DebertaPretrained(checkpoint.weights(), checkpoint.head());
                    }
                };
        Path tokenizer = directory.resolve(HuggingFaceCheckpoint.TOKENIZER);
        if (!Files.isRegularFile(tokenizer)) {
            throw new WeightFormatException(
                    directory, "has no " + HuggingFaceCheckpoint.TOKENIZER + " beside the weights");
        }
        return new Loaded(encoder, tokenizer);
    }

    /** The family that {@code config.json}'s {@code model_type} names (BERT when it names none). */
    public static ModelFamily familyOf(Path configJson) throws IOException {
        JsonNode root = JsonFiles.read(configJson, JsonFiles.MAX_CONFIG_BYTES);
        JsonNode type = root == null ? null : root.get("model_type");
        if (type == null) {
            return ModelFamily.BERT;
        }
        try {
            return ModelFamily.ofModelType(type.asText());
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(configJson, e.getMessage(), e);
        }
    }
}
