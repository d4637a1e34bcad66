package io.rankwise.models.deberta;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.ConfigFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture of a DeBERTa-v2 or -v3 encoder: the fields of Hugging Face's {@code
 * DebertaV2Config} ({@code src/transformers/models/deberta_v2/configuration_deberta_v2.py}) that
 * {@code modeling_deberta_v2.py} reads, with its defaults where a field is absent.
 *
 * <p>What the encoder does not compute is refused rather than ignored, so that a checkpoint never
 * runs as a different network than it was trained as: a {@code hidden_act} other than the exact
 * GELU, the convolution layer of DeBERTa-v2-xlarge ({@code conv_kernel_size} &gt; 0), an {@code
 * embedding_size} other than {@code hidden_size} (the {@code embed_proj} layer), a {@code
 * pooler_hidden_size} other than {@code hidden_size}, and an {@code attention_head_size} other than
 * {@code hidden_size / num_attention_heads}. Sizes are bounded before anything is allocated from
 * them, so a corrupt or hostile config.json cannot ask for billions of layers or positions.
 *
 * <p>Relative positions: a query at i and a key at j are {@code r = i − j} apart. With {@code
 * position_buckets} b &gt; 0 they are bucketed logarithmically ({@link RelativePositions}) and the
 * relative embedding has 2b rows; otherwise it has 2k rows for k = {@code max_relative_positions}
 * (or {@code max_position_embeddings} when that is below 1). The attention span is b or k.
 *
 * @param vocabSize rows of the word embedding
 * @param hiddenSize the model width
 * @param numHiddenLayers the number of transformer layers
 * @param numAttentionHeads heads per self-attention; divides {@code hiddenSize}
 * @param intermediateSize the width of the feed-forward block
 * @param maxPositionEmbeddings rows of the absolute position embedding when {@code
 *     positionBiasedInput}, and the relative range when {@code maxRelativePositions} &lt; 1
 * @param typeVocabSize rows of the token-type embedding; 0 (DeBERTa-v3) for none
 * @param layerNormEps the epsilon of every LayerNorm (1e-7 in DeBERTa)
 * @param hiddenAct the feed-forward activation: the exact (erf) GELU
 * @param relativeAttention whether attention has the disentangled relative-position terms
 * @param maxRelativePositions {@code max_relative_positions} as written (−1: use {@code
 *     max_position_embeddings})
 * @param positionBuckets {@code position_buckets} as written (≤ 0: no bucketing)
 * @param posAttType the relative terms, a subset of {@code c2p} and {@code p2c}, without repeats
 * @param shareAttKey whether the relative embeddings go through the content {@code query_proj} and
 *     {@code key_proj} (DeBERTa-v3) rather than {@code pos_query_proj} and {@code pos_key_proj}
 * @param relEmbeddingLayerNorm whether {@code norm_rel_ebd} names {@code layer_norm}: the relative
 *     embeddings go through {@code encoder.LayerNorm}
 * @param positionBiasedInput whether absolute position embeddings are added to the input
 * @param padTokenId the padding token's id
 */
public record DebertaConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct,
        boolean relativeAttention,
        int maxRelativePositions,
        int positionBuckets,
        List<String> posAttType,
        boolean shareAttKey,
        boolean relEmbeddingLayerNorm,
        boolean positionBiasedInput,
        int padTokenId) {

    /** Content-to-position attention: the query against the relative keys. */
    public static final String C2P = "c2p";

    /** Position-to-content attention: the key against the relative queries. */
    public static final String P2C = "p2c";

    /** The {@code pos_att_type} entries the encoder computes. */
    public static final List<String> POS_ATT_TYPES = List.of(C2P, P2C);

    /** The {@code hidden_act} (and {@code pooler_hidden_act}) values: the exact, erf-based GELU. */
    public static final List<String> SUPPORTED_ACTIVATIONS = List.of("gelu", "gelu_python");

    /** The {@code norm_rel_ebd} entries Hugging Face's code acts on or names. */
    public static final List<String> NORM_REL_EBD = List.of("none", "layer_norm");

    /** The most layers a config may have: ten times the deepest DeBERTa (48 in v2-xxlarge). */
    public static final int MAX_LAYERS = 1024;

    /** The widest hidden or feed-forward size a config may have. */
    public static final int MAX_WIDTH = 1 << 17;

    /** The largest vocabulary a config may have: 64 times DeBERTa-v3's 128,100. */
    public static final int MAX_VOCAB_SIZE = 1 << 23;

    /** The most positions, relative positions, buckets or token types a config may have. */
    public static final int MAX_POSITIONS = 1 << 20;

    /** Checks sizes, bounds and the relative-attention fields. */
    public DebertaConfig {
        posAttType = List.copyOf(posAttType);
        ConfigFields.requirePositive("vocab_size", vocabSize);
        ConfigFields.requirePositive("hidden_size", hiddenSize);
        ConfigFields.requirePositive("num_hidden_layers", numHiddenLayers);
        ConfigFields.requirePositive("num_attention_heads", numAttentionHeads);
        ConfigFields.requirePositive("intermediate_size", intermediateSize);
        ConfigFields.requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (typeVocabSize < 0) {
            throw new IllegalArgumentException(
                    "type_vocab_size is " + typeVocabSize + "; accepted: 0 (none) or more");
        }
        // Sane bounds before anything is sized from these numbers: a corrupt or hostile
        // config.json (num_hidden_layers 2147483647) would otherwise have the name table of
        // billions of layers built, or an array of billions of floats requested.
        requireAtMost("vocab_size", vocabSize, MAX_VOCAB_SIZE);
        requireAtMost("hidden_size", hiddenSize, MAX_WIDTH);
        requireAtMost("num_hidden_layers", numHiddenLayers, MAX_LAYERS);
        requireAtMost("num_attention_heads", numAttentionHeads, MAX_WIDTH);
        requireAtMost("intermediate_size", intermediateSize, MAX_WIDTH);
        requireAtMost("max_position_embeddings", maxPositionEmbeddings, MAX_POSITIONS);
        requireAtMost("type_vocab_size", typeVocabSize, MAX_POSITIONS);
        requireAtMost("max_relative_positions", maxRelativePositions, MAX_POSITIONS);
        requireAtMost("position_buckets", positionBuckets, MAX_POSITIONS);
        ConfigFields.requireArray("vocab_size", vocabSize, "hidden_size", hiddenSize);
        ConfigFields.requireArray(
                "max_position_embeddings", maxPositionEmbeddings, "hidden_size", hiddenSize);
        ConfigFields.requireArray("intermediate_size", intermediateSize, "hidden_size", hiddenSize);
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
        requireGelu("hidden_act", hiddenAct);
        for (String type : posAttType) {
            if (!POS_ATT_TYPES.contains(type)) {
                throw new IllegalArgumentException(
                        "pos_att_type contains '"
                                + type
                                + "'; accepted: a list of "
                                + String.join(", ", POS_ATT_TYPES)
                                + " (or the string \"p2c|c2p\")");
            }
        }
        if (posAttType.size() != posAttType.stream().distinct().count()) {
            throw new IllegalArgumentException(
                    "pos_att_type "
                            + posAttType
                            + " names a term twice; accepted: each at most once");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException(
                    "pad_token_id is " + padTokenId + "; accepted: an id in [0, vocab_size)");
        }
        if (relativeAttention) {
            ConfigFields.requireArray(
                    "2 × the attention span", 2L * attentionSpan(), "hidden_size", hiddenSize);
        }
    }

    /** The width of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** Whether the content-to-position term is computed. */
    public boolean c2p() {
        return posAttType.contains(C2P);
    }

    /** Whether the position-to-content term is computed. */
    public boolean p2c() {
        return posAttType.contains(P2C);
    }

    /**
     * The relative range k: {@code max_relative_positions}, or {@code max_position_embeddings} when
     * that is below 1 (as {@code DisentangledSelfAttention} sets it).
     */
    public int effectiveMaxRelativePositions() {
        return maxRelativePositions < 1 ? maxPositionEmbeddings : maxRelativePositions;
    }

    /**
     * The attention span s ({@code pos_ebd_size} in Hugging Face's code): {@code position_buckets}
     * when positive, else the relative range. Relative positions (or buckets) index the relative
     * embedding at {@code clamp(r + s, 0, 2s − 1)}.
     */
    public int attentionSpan() {
        return positionBuckets > 0 ? positionBuckets : effectiveMaxRelativePositions();
    }

    /**
     * The number of attention-score terms the scale divides: 1 + the number of relative terms,
     * whether or not {@code relative_attention} is on (as the modelling code counts them).
     */
    public int scaleFactor() {
        return 1 + posAttType.size();
    }

    /**
     * The most tokens a sequence may have: {@code max_position_embeddings}, as the config states
     * it. Only absolute positions ({@code position_biased_input}) make it a hard limit for the
     * encoder; relative positions beyond the span share the outermost embedding.
     */
    public int maxSequenceLength() {
        return maxPositionEmbeddings;
    }

    /** Reads a Hugging Face {@code config.json}, naming the file in any error. */
    public static DebertaConfig fromJson(Path configJson) throws IOException {
        return ConfigFields.readFile(configJson, DebertaConfig::fromJson);
    }

    /**
     * Reads the fields of a parsed {@code config.json}. The sizes of the network are required; the
     * other fields default as {@code DebertaV2Config} and the modelling code's {@code getattr}
     * calls default them ({@code relative_attention} false, {@code position_biased_input} true,
     * {@code type_vocab_size} 0, {@code layer_norm_eps} 1e-7, {@code share_att_key} false, {@code
     * norm_rel_ebd} "none", {@code position_buckets} and {@code max_relative_positions} −1).
     *
     * @throws IllegalArgumentException naming the key, the value and what is accepted
     */
    public static DebertaConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object");
        }
        JsonNode type = root.get("model_type");
        if (type != null && !ModelFamily.DEBERTA_V2.modelType().equals(type.asText())) {
            throw new IllegalArgumentException(
                    "model_type is '"
                            + type.asText()
                            + "'; a DeBERTa config has model_type '"
                            + ModelFamily.DEBERTA_V2.modelType()
                            + "'");
        }
        int hidden = ConfigFields.requiredInt(root, "hidden_size");
        int heads = ConfigFields.requiredInt(root, "num_attention_heads");
        // Fields of layers the encoder does not have: refused, not ignored.
        int conv = ConfigFields.optionalInt(root, "conv_kernel_size", 0);
        if (conv > 0) {
            throw new IllegalArgumentException(
                    "conv_kernel_size is "
                            + conv
                            + "; accepted: 0 or absent (the convolution layer of DeBERTa-v2-xlarge"
                            + " and -xxlarge is not implemented)");
        }
        requireHidden(root, "embedding_size", hidden, "the embed_proj layer is not implemented");
        requireHidden(
                root,
                "pooler_hidden_size",
                hidden,
                "the classification head's pooler is hidden_size wide");
        if (root.hasNonNull("attention_head_size") && heads > 0) {
            int headSize = ConfigFields.optionalInt(root, "attention_head_size", hidden / heads);
            if ((long) headSize * heads != hidden) {
                throw new IllegalArgumentException(
                        "attention_head_size is "
                                + headSize
                                + "; accepted: hidden_size / num_attention_heads = "
                                + hidden
                                + " / "
                                + heads
                                + " (heads of another width are not implemented)");
            }
        }
        requireGelu(
                "pooler_hidden_act",
                ConfigFields.optionalString(root, "pooler_hidden_act", "gelu"));
        return new DebertaConfig(
                ConfigFields.requiredInt(root, "vocab_size"),
                hidden,
                ConfigFields.requiredInt(root, "num_hidden_layers"),
                heads,
                ConfigFields.requiredInt(root, "intermediate_size"),
                ConfigFields.optionalInt(root, "max_position_embeddings", 512),
                ConfigFields.optionalInt(root, "type_vocab_size", 0),
                ConfigFields.optionalDouble(root, "layer_norm_eps", 1e-7),
                ConfigFields.optionalString(root, "hidden_act", "gelu"),
                ConfigFields.optionalBoolean(root, "relative_attention", false),
                ConfigFields.optionalInt(root, "max_relative_positions", -1),
                ConfigFields.optionalInt(root, "position_buckets", -1),
                posAttType(root.get("pos_att_type")),
                ConfigFields.optionalBoolean(root, "share_att_key", false),
                relEmbeddingLayerNorm(ConfigFields.optionalString(root, "norm_rel_ebd", "none")),
                ConfigFields.optionalBoolean(root, "position_biased_input", true),
                root.hasNonNull("pad_token_id")
                        ? ConfigFields.optionalInt(root, "pad_token_id", 0)
                        : 0);
    }

    /**
     * {@code pos_att_type}: a list of strings, or (for old configs, as {@code DebertaV2Config}
     * accepts) one string of entries joined by {@code |}, lower-cased and stripped; null or absent
     * for none.
     */
    private static List<String> posAttType(JsonNode v) {
        List<String> types = new ArrayList<>();
        if (v == null || v.isNull()) {
            return types;
        }
        if (v.isTextual()) {
            for (String part : v.asText().toLowerCase(Locale.ROOT).split("\\|")) {
                types.add(part.strip());
            }
            return types;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(
                    "pos_att_type must be a list of "
                            + String.join(", ", POS_ATT_TYPES)
                            + ", got "
                            + v);
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(
                        "pos_att_type contains "
                                + e
                                + "; accepted: a list of "
                                + String.join(", ", POS_ATT_TYPES));
            }
            types.add(e.asText());
        }
        return types;
    }

    /**
     * {@code norm_rel_ebd}: entries joined by {@code |}, lower-cased and stripped, as the encoder
     * splits it; whether one of them is {@code layer_norm}.
     */
    private static boolean relEmbeddingLayerNorm(String value) {
        boolean layerNorm = false;
        for (String part : value.toLowerCase(Locale.ROOT).split("\\|")) {
            String p = part.strip();
            if (!NORM_REL_EBD.contains(p)) {
                throw new IllegalArgumentException(
                        "norm_rel_ebd contains '"
                                + p
                                + "'; accepted: "
                                + String.join(", ", NORM_REL_EBD)
                                + " (joined by |)");
            }
            layerNorm |= p.equals("layer_norm");
        }
        return layerNorm;
    }

    private static void requireHidden(JsonNode root, String key, int hidden, String why) {
        if (!root.hasNonNull(key)) {
            return;
        }
        int value = ConfigFields.optionalInt(root, key, hidden);
        if (value != hidden) {
            throw new IllegalArgumentException(
                    key
                            + " is "
                            + value
                            + "; accepted: hidden_size ("
                            + hidden
                            + ") or absent ("
                            + why
                            + ")");
        }
    }

    private static void requireGelu(String key, String value) {
        // The encoder computes the exact (erf) GELU; another activation would be replaced by it
        // silently and the pretrained weights would compute something else.
        if (value == null || !SUPPORTED_ACTIVATIONS.contains(value)) {
            throw new IllegalArgumentException(
                    key
                            + " is "
                            + value
                            + "; accepted: "
                            + String.join(", ", SUPPORTED_ACTIVATIONS)
                            + " (the exact, erf-based GELU, which is what the encoder computes)");
        }
    }

    private static void requireAtMost(String key, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(
                    key
                            + " is "
                            + value
                            + ", more than the "
                            + max
                            + " any DeBERTa encoder has; the config is corrupt or not a DeBERTa"
                            + " config");
        }
    }
}
