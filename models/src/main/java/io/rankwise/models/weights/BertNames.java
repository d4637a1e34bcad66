package io.rankwise.models.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face names of a BERT encoder's parameters, their expected shapes, and the
 * normalisation of prefixed names ({@code bert.encoder...} → {@code encoder...}).
 *
 * <p>Linear weights are in PyTorch's {@code nn.Linear} layout [out, in].
 */
public final class BertNames {
    public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    public static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    public static final String EMBEDDINGS_LAYER_NORM_WEIGHT = "embeddings.LayerNorm.weight";
    public static final String EMBEDDINGS_LAYER_NORM_BIAS = "embeddings.LayerNorm.bias";
    public static final String POOLER_WEIGHT = "pooler.dense.weight";
    public static final String POOLER_BIAS = "pooler.dense.bias";

    /** The linear layers inside one encoder layer, by their name within the layer. */
    public static final List<String> LAYER_LINEARS =
            List.of(
                    "attention.self.query",
                    "attention.self.key",
                    "attention.self.value",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense");

    /** The LayerNorms inside one encoder layer, by their name within the layer. */
    public static final List<String> LAYER_NORMS =
            List.of("attention.output.LayerNorm", "output.LayerNorm");

    /** The segments a BERT parameter name starts with once any model prefix is removed. */
    private static final List<String> ROOTS = List.of("embeddings.", "encoder.layer.", "pooler.");

    private BertNames() {}

    /**
     * The full name of a parameter of layer {@code layer}, e.g. {@code layer(0,
     * "output.dense.bias")}.
     */
    public static String layer(int layer, String suffix) {
        return "encoder.layer." + layer + "." + suffix;
    }

    /**
     * Removes a model prefix such as {@code bert.} or {@code model.bert.}: the name from the first
     * segment that is a BERT root ({@code embeddings}, {@code encoder.layer}, {@code pooler}).
     *
     * @return the normalised name, or empty if the name is not a BERT encoder parameter (for
     *     example {@code cls.predictions.bias} or {@code onnx::MatMul_1602})
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
     * Every parameter of an encoder with this config and its shape, in the order of the model:
     * embeddings, then each layer, then the pooler if {@code withPooler}.
     */
    public static Map<String, long[]> expectedShapes(BertConfig c, boolean withPooler) {
        long h = c.hiddenSize();
        long ffn = c.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(WORD_EMBEDDINGS, new long[] {c.vocabSize(), h});
        shapes.put(POSITION_EMBEDDINGS, new long[] {c.maxPositionEmbeddings(), h});
        shapes.put(TOKEN_TYPE_EMBEDDINGS, new long[] {c.typeVocabSize(), h});
        shapes.put(EMBEDDINGS_LAYER_NORM_WEIGHT, new long[] {h});
        shapes.put(EMBEDDINGS_LAYER_NORM_BIAS, new long[] {h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            for (String linear : LAYER_LINEARS) {
                long out = linear.equals("intermediate.dense") ? ffn : h;
                long in = linear.equals("output.dense") ? ffn : h;
                shapes.put(layer(i, linear + ".weight"), new long[] {out, in});
                shapes.put(layer(i, linear + ".bias"), new long[] {out});
            }
            for (String norm : LAYER_NORMS) {
                shapes.put(layer(i, norm + ".weight"), new long[] {h});
                shapes.put(layer(i, norm + ".bias"), new long[] {h});
            }
        }
        if (withPooler) {
            shapes.put(POOLER_WEIGHT, new long[] {h, h});
            shapes.put(POOLER_BIAS, new long[] {h});
        }
        return shapes;
    }
}
