package io.rankwise.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.family.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The architecture of a BERT-family encoder, as Hugging Face's {@code BertConfig} names it.
 *
 * @param vocabSize rows of the word embedding
 * @param hiddenSize the model width
 * @param numHiddenLayers the number of transformer layers
 * @param numAttentionHeads heads per self-attention; divides {@code hiddenSize}
 * @param intermediateSize the width of the feed-forward block
 * @param maxPositionEmbeddings rows of the position embedding
 * @param typeVocabSize rows of the token-type (segment) embedding
 * @param layerNormEps the epsilon of every LayerNorm (1e-12 for BERT)
 * @param hiddenAct the feed-forward activation ("gelu" for BERT: the exact, erf-based GELU)
 * @param family {@link ModelFamily#BERT} or {@link ModelFamily#ROBERTA}, which share these fields
 *     and the layers' names but count positions differently
 * @param padTokenId the padding token's id; RoBERTa counts positions from {@code padTokenId + 1}
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct,
        ModelFamily family,
        int padTokenId) {

    /** BERT's LayerNorm epsilon, also Hugging Face's default. */
    public static final double DEFAULT_LAYER_NORM_EPS = 1e-12;

    /** A BERT config (padding id 0), as the fields before RoBERTa support made it. */
    public BertConfig(
            int vocabSize,
            int hiddenSize,
            int numHiddenLayers,
            int numAttentionHeads,
            int intermediateSize,
            int maxPositionEmbeddings,
            int typeVocabSize,
            double layerNormEps,
            String hiddenAct) {
        this(
                vocabSize,
                hiddenSize,
                numHiddenLayers,
                numAttentionHeads,
                intermediateSize,
                maxPositionEmbeddings,
                typeVocabSize,
                layerNormEps,
                hiddenAct,
                ModelFamily.BERT,
                0);
    }

    /**
     * Heads per hidden size for checkpoints whose heads cannot be read from a config: the shapes of
     * the weights do not determine it. Covers Google's BERT sizes (head size 64) and MiniLM (384
     * with 12 heads of 32).
     */
    private static final Map<Integer, Integer> DEFAULT_HEADS =
            Map.of(128, 2, 256, 4, 384, 12, 512, 8, 768, 12, 1024, 16);

    /** The most layers a config may have: ten times the deepest BERT-family encoder. */
    public static final int MAX_LAYERS = 1024;

    /** The widest hidden or feed-forward size a config may have. */
    public static final int MAX_WIDTH = 1 << 17;

    /** The largest vocabulary a config may have: 64 times BERT's multilingual one. */
    public static final int MAX_VOCAB_SIZE = 1 << 23;

    /** The most positions (and token types) a config may have. */
    public static final int MAX_POSITIONS = 1 << 20;

    /** Checks that every size is positive and that the heads divide the width. */
    public BertConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("type_vocab_size", typeVocabSize);
        // Sane bounds, checked before anything is sized from these numbers: a corrupt or hostile
        // config.json (num_hidden_layers 2147483647) would otherwise have the name table of
        // billions of layers built, or an array of billions of floats requested.
        requireAtMost("vocab_size", vocabSize, MAX_VOCAB_SIZE);
        requireAtMost("hidden_size", hiddenSize, MAX_WIDTH);
        requireAtMost("num_hidden_layers", numHiddenLayers, MAX_LAYERS);
        requireAtMost("intermediate_size", intermediateSize, MAX_WIDTH);
        requireAtMost("max_position_embeddings", maxPositionEmbeddings, MAX_POSITIONS);
        requireAtMost("type_vocab_size", typeVocabSize, MAX_POSITIONS);
        requireArray("vocab_size", vocabSize, hiddenSize);
        requireArray("max_position_embeddings", maxPositionEmbeddings, hiddenSize);
        requireArray("intermediate_size", intermediateSize, hiddenSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size "
                            + hiddenSize
                            + " is not a multiple of num_attention_heads "
                            + numAttentionHeads);
        }
        if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException(
                    "layer_norm_eps must be positive and finite, got " + layerNormEps);
        }
        if (family != ModelFamily.BERT && family != ModelFamily.ROBERTA) {
            throw new IllegalArgumentException(
                    "a BERT-layout config is for model_type bert or roberta, not " + family);
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException(
                    "pad_token_id is " + padTokenId + "; accepted: an id in [0, vocab_size)");
        }
        if (family == ModelFamily.ROBERTA && (long) padTokenId + 2 > maxPositionEmbeddings) {
            throw new IllegalArgumentException(
                    "max_position_embeddings "
                            + maxPositionEmbeddings
                            + " leaves no position after RoBERTa's offset pad_token_id + 1 = "
                            + (padTokenId + 1));
        }
        if (hiddenAct == null || hiddenAct.isBlank()) {
            throw new IllegalArgumentException("hidden_act must be named, e.g. \"gelu\"");
        }
        // The encoder computes the exact (erf) GELU; another activation would be replaced by it
        // silently and the pretrained weights would compute something else.
        if (!SUPPORTED_ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException(
                    "hidden_act is "
                            + hiddenAct
                            + "; accepted: "
                            + String.join(", ", SUPPORTED_ACTIVATIONS)
                            + " (the exact, erf-based GELU, which is what the encoder computes)");
        }
    }

    /**
     * The {@code hidden_act} values the encoder computes as written: Hugging Face's names of the
     * exact GELU.
     */
    public static final java.util.List<String> SUPPORTED_ACTIVATIONS =
            java.util.List.of("gelu", "gelu_python");

    /** The width of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** This config with another number of heads. */
    public BertConfig withNumAttentionHeads(int heads) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numHiddenLayers,
                heads,
                intermediateSize,
                maxPositionEmbeddings,
                typeVocabSize,
                layerNormEps,
                hiddenAct,
                family,
                padTokenId);
    }

    /** This config with another LayerNorm epsilon. */
    public BertConfig withLayerNormEps(double eps) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numHiddenLayers,
                numAttentionHeads,
                intermediateSize,
                maxPositionEmbeddings,
                typeVocabSize,
                eps,
                hiddenAct,
                family,
                padTokenId);
    }

    /**
     * The most tokens a sequence may have: every position row for BERT, fewer for RoBERTa, whose
     * positions start after the padding id ({@code max_position_embeddings − pad_token_id − 1}).
     */
    public int maxSequenceLength() {
        return family == ModelFamily.ROBERTA
                ? maxPositionEmbeddings - padTokenId - 1
                : maxPositionEmbeddings;
    }

    /**
     * The default number of heads for a hidden size: 128 → 2, 256 → 4, 384 → 12, 512 → 8, 768 → 12,
     * 1024 → 16.
     *
     * @throws IllegalArgumentException for other sizes, asking for an explicit number
     */
    public static int defaultHeadsFor(int hiddenSize) {
        Integer heads = DEFAULT_HEADS.get(hiddenSize);
        if (heads == null) {
            throw new IllegalArgumentException(
                    "no default number of attention heads for hidden size "
                            + hiddenSize
                            + " (known: "
                            + new java.util.TreeMap<>(DEFAULT_HEADS)
                            + "); give it explicitly or put a config.json beside the weights");
        }
        return heads;
    }

    /** Reads a Hugging Face {@code config.json}. */
    public static BertConfig fromJson(Path configJson) throws IOException {
        return ConfigFields.readFile(configJson, BertConfig::fromJson);
    }

    /**
     * Reads the fields of a parsed {@code config.json}. The sizes of the network are required;
     * positions, token types, epsilon and activation default as in Hugging Face's BertConfig.
     */
    public static BertConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object");
        }
        JsonNode type = root.get("model_type");
        ModelFamily family =
                type == null ? ModelFamily.BERT : ModelFamily.ofModelType(type.asText());
        if (family != ModelFamily.BERT && family != ModelFamily.ROBERTA) {
            throw new IllegalArgumentException(
                    "model_type '" + type.asText() + "' does not have BERT's layout");
        }
        return new BertConfig(
                requiredInt(root, "vocab_size"),
                requiredInt(root, "hidden_size"),
                requiredInt(root, "num_hidden_layers"),
                requiredInt(root, "num_attention_heads"),
                requiredInt(root, "intermediate_size"),
                optionalInt(root, "max_position_embeddings", 512),
                optionalInt(root, "type_vocab_size", 2),
                root.has("layer_norm_eps")
                        ? root.get("layer_norm_eps").asDouble()
                        : DEFAULT_LAYER_NORM_EPS,
                root.has("hidden_act") ? root.get("hidden_act").asText() : "gelu",
                family,
                // RobertaConfig's default is 1, BertConfig's 0.
                optionalInt(root, "pad_token_id", family == ModelFamily.ROBERTA ? 1 : 0));
    }

    /** This config as a Hugging Face {@code config.json} object for a {@code BertModel}. */
    public ObjectNode toJson() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.putArray("architectures")
                .add(family == ModelFamily.ROBERTA ? "RobertaModel" : "BertModel");
        node.put("model_type", family.modelType());
        node.put("pad_token_id", padTokenId);
        node.put("vocab_size", vocabSize);
        node.put("hidden_size", hiddenSize);
        node.put("num_hidden_layers", numHiddenLayers);
        node.put("num_attention_heads", numAttentionHeads);
        node.put("intermediate_size", intermediateSize);
        node.put("max_position_embeddings", maxPositionEmbeddings);
        node.put("type_vocab_size", typeVocabSize);
        node.put("layer_norm_eps", layerNormEps);
        node.put("hidden_act", hiddenAct);
        return node;
    }

    /**
     * Writes this config as {@code config.json} content to {@code file}, atomically ({@link
     * AtomicFiles}): a reader, or a process killed while it writes, sees the old file or the new
     * one, never half of one.
     */
    public void writeJson(Path file) throws IOException {
        String json =
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson());
        AtomicFiles.replace(file, temp -> Files.writeString(temp, json));
    }

    private static int requiredInt(JsonNode root, String key) {
        return ConfigFields.requiredInt(root, key);
    }

    private static int optionalInt(JsonNode root, String key, int fallback) {
        return ConfigFields.optionalInt(root, key, fallback);
    }

    private static void requireAtMost(String key, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(
                    key
                            + " is "
                            + value
                            + ", more than the "
                            + max
                            + " any BERT-family encoder has; the config is corrupt or not a BERT config");
        }
    }

    /** Checks that a matrix of {@code rows} × hidden_size fits in one Java array. */
    private static void requireArray(String key, int rows, int hiddenSize) {
        ConfigFields.requireArray(key, rows, "hidden_size", hiddenSize);
    }

    private static void requirePositive(String key, int value) {
        ConfigFields.requirePositive(key, value);
    }
}
