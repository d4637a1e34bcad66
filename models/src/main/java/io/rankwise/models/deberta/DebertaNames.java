package io.rankwise.models.deberta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Hugging Face names of a DeBERTa-v2/v3 encoder's parameters ({@code DebertaV2Model}'s state
 * dict, as {@code microsoft/deberta-v3-base} holds it under {@code deberta.}), their expected
 * shapes for a config, and the normalisation of prefixed names ({@code deberta.encoder...} → {@code
 * encoder...}). Source: {@code src/transformers/models/deberta_v2/modeling_deberta_v2.py} ({@code
 * DebertaV2Embeddings}, {@code DisentangledSelfAttention}, {@code DebertaV2Encoder}).
 *
 * <p>Linear weights are in PyTorch's {@code nn.Linear} layout [out, in].
 */
public final class DebertaNames {
    public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    public static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    public static final String EMBEDDINGS_LAYER_NORM = "embeddings.LayerNorm";
    public static final String REL_EMBEDDINGS = "encoder.rel_embeddings.weight";
    public static final String REL_LAYER_NORM = "encoder.LayerNorm";

    /** The query projection within a layer; also applied to the relative embeddings when shared. */
    public static final String QUERY = "attention.self.query_proj";

    /** The key projection within a layer; also applied to the relative embeddings when shared. */
    public static final String KEY = "attention.self.key_proj";

    public static final String VALUE = "attention.self.value_proj";

    /** The relative keys' own projection (c2p without {@code share_att_key}). */
    public static final String POS_KEY = "attention.self.pos_key_proj";

    /** The relative queries' own projection (p2c without {@code share_att_key}). */
    public static final String POS_QUERY = "attention.self.pos_query_proj";

    public static final String ATTENTION_OUTPUT = "attention.output.dense";
    public static final String ATTENTION_LAYER_NORM = "attention.output.LayerNorm";
    public static final String INTERMEDIATE = "intermediate.dense";
    public static final String OUTPUT = "output.dense";
    public static final String OUTPUT_LAYER_NORM = "output.LayerNorm";

    /**
     * Keys of a checkpoint that are the encoder's but not parameters, or that Hugging Face skips on
     * load: the {@code position_ids} and {@code token_type_ids} buffers that older versions saved,
     * and (only when the config has no absolute positions) {@code position_embeddings}, which
     * {@code DebertaV2PreTrainedModel._keys_to_ignore_on_load_unexpected} names.
     */
    private static final Set<String> BUFFERS =
            Set.of("embeddings.position_ids", "embeddings.token_type_ids");

    /** The segments an encoder parameter's name starts with once any model prefix is removed. */
    private static final List<String> ROOTS = List.of("embeddings.", "encoder.");

    private DebertaNames() {}

    /** The full name of a parameter or module of layer {@code layer}. */
    public static String layer(int layer, String suffix) {
        return "encoder.layer." + layer + "." + suffix;
    }

    /**
     * Removes a model prefix such as {@code deberta.}: the name from the first segment that is an
     * encoder root ({@code embeddings.}, {@code encoder.}).
     *
     * @return the normalised name, or empty if the name is not the encoder's (a task head such as
     *     {@code classifier.weight}, the pre-training heads {@code lm_predictions.*} and {@code
     *     mask_predictions.*})
     */
    public static Optional<String> normalise(String name) {
        for (int i = 0; i < name.length(); i = name.indexOf('.', i) + 1) {
            for (String root : ROOTS) {
                if (name.startsWith(root, i)) {
                    return Optional.of(name.substring(i));
                }
            }
            if (name.indexOf('.', i) < 0) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a normalised encoder name is skipped on load as Hugging Face skips it: a buffer, or
     * absolute position embeddings that this config does not use.
     */
    public static boolean ignoredOnLoad(DebertaConfig c, String normalised) {
        return BUFFERS.contains(normalised)
                || (!c.positionBiasedInput() && normalised.equals(POSITION_EMBEDDINGS));
    }

    /**
     * The linear layers of one encoder layer, by name within the layer, in model order: the content
     * projections, then the relative ones the config asks for ({@code pos_key_proj} for c2p and
     * {@code pos_query_proj} for p2c, only without {@code share_att_key}), then the attention
     * output and the feed-forward layers.
     */
    public static List<String> layerLinears(DebertaConfig c) {
        List<String> linears = new java.util.ArrayList<>(List.of(QUERY, KEY, VALUE));
        if (c.relativeAttention() && !c.shareAttKey()) {
            if (c.c2p()) {
                linears.add(POS_KEY);
            }
            if (c.p2c()) {
                linears.add(POS_QUERY);
            }
        }
        linears.addAll(List.of(ATTENTION_OUTPUT, INTERMEDIATE, OUTPUT));
        return List.copyOf(linears);
    }

    /**
     * Every parameter of an encoder with this config and its shape, in the order of the model:
     * embeddings (positions only with {@code position_biased_input}, token types only with {@code
     * type_vocab_size} &gt; 0), each layer, then the relative embedding [2s, H] (with {@code
     * relative_attention}) and its LayerNorm (with {@code norm_rel_ebd} {@code layer_norm}).
     */
    public static Map<String, long[]> expectedShapes(DebertaConfig c) {
        long h = c.hiddenSize();
        long ffn = c.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(WORD_EMBEDDINGS, new long[] {c.vocabSize(), h});
        if (c.positionBiasedInput()) {
            shapes.put(POSITION_EMBEDDINGS, new long[] {c.maxPositionEmbeddings(), h});
        }
        if (c.typeVocabSize() > 0) {
            shapes.put(TOKEN_TYPE_EMBEDDINGS, new long[] {c.typeVocabSize(), h});
        }
        shapes.put(EMBEDDINGS_LAYER_NORM + ".weight", new long[] {h});
        shapes.put(EMBEDDINGS_LAYER_NORM + ".bias", new long[] {h});
        List<String> linears = layerLinears(c);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            for (String linear : linears) {
                long out = linear.equals(INTERMEDIATE) ? ffn : h;
                long in = linear.equals(OUTPUT) ? ffn : h;
                shapes.put(layer(i, linear + ".weight"), new long[] {out, in});
                shapes.put(layer(i, linear + ".bias"), new long[] {out});
            }
            for (String norm : List.of(ATTENTION_LAYER_NORM, OUTPUT_LAYER_NORM)) {
                shapes.put(layer(i, norm + ".weight"), new long[] {h});
                shapes.put(layer(i, norm + ".bias"), new long[] {h});
            }
        }
        if (c.relativeAttention()) {
            shapes.put(REL_EMBEDDINGS, new long[] {2L * c.attentionSpan(), h});
        }
        if (c.relEmbeddingLayerNorm()) {
            // Created whenever norm_rel_ebd names layer_norm, even without relative attention.
            shapes.put(REL_LAYER_NORM + ".weight", new long[] {h});
            shapes.put(REL_LAYER_NORM + ".bias", new long[] {h});
        }
        return shapes;
    }
}
