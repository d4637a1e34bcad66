package io.rankwise.models.weights;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a {@link BertConfig} from the shapes of an encoder's parameters. Everything but the number
 * of heads, the LayerNorm epsilon and the activation is determined by the shapes; those three are
 * given (BERT's 1e-12 and "gelu" for the latter two).
 */
final class ShapeInference {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private ShapeInference() {}

    /**
     * The config of an encoder whose parameters (Hugging Face names, [out, in] layout) have these
     * shapes.
     *
     * @param heads the number of attention heads, or 0 for {@link BertConfig#defaultHeadsFor}
     * @throws IllegalArgumentException if an embedding or layer is missing
     */
    static BertConfig infer(Map<String, long[]> shapes, int heads) {
        long[] words = require(shapes, BertNames.WORD_EMBEDDINGS, 2);
        long[] positions = require(shapes, BertNames.POSITION_EMBEDDINGS, 2);
        long[] types = require(shapes, BertNames.TOKEN_TYPE_EMBEDDINGS, 2);
        long[] ffnBias = require(shapes, BertNames.layer(0, "intermediate.dense.bias"), 1);
        int layers = 0;
        for (String name : shapes.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                // More than nine digits: beyond any layer count (BertConfig refuses it by name).
                String index = m.group(1);
                int count = index.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(index) + 1;
                layers = Math.max(layers, count);
            }
        }
        int hidden = size(words[1]);
        return new BertConfig(
                size(words[0]),
                hidden,
                layers,
                heads > 0 ? heads : BertConfig.defaultHeadsFor(hidden),
                size(ffnBias[0]),
                size(positions[0]),
                size(types[0]),
                BertConfig.DEFAULT_LAYER_NORM_EPS,
                "gelu");
    }

    /** A dimension as an int; one beyond int is not a size a config can have. */
    private static int size(long dim) {
        if (dim > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "dimension " + dim + " is larger than any BERT-family encoder has");
        }
        return (int) dim;
    }

    private static long[] require(Map<String, long[]> shapes, String name, int rank) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("cannot infer the architecture: no tensor " + name);
        }
        if (shape.length != rank) {
            throw new IllegalArgumentException(
                    name + " has shape " + Arrays.toString(shape) + ", expected rank " + rank);
        }
        return shape;
    }
}
