package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the weights of a BERT-family encoder from an ONNX model exported from PyTorch (such as
 * all-MiniLM-L6-v2 in the langchain4j jar), into Hugging Face names and layouts.
 *
 * <p>The architecture comes from a {@code config.json} beside the model when there is one;
 * otherwise it is inferred from the shapes, with the number of heads from {@link
 * BertConfig#defaultHeadsFor} unless given.
 */
public final class OnnxWeightReader {
    private OnnxWeightReader() {}

    /** The weights of {@code onnxFile}; heads from a sibling config.json or the default table. */
    public static BertWeights readBert(Path onnxFile) throws IOException {
        return readBert(onnxFile, 0);
    }

    /**
     * The weights of {@code onnxFile}.
     *
     * @param numAttentionHeads heads per attention, overriding config.json and the default table; 0
     *     to not override
     * @throws WeightFormatException naming the file if it is malformed or does not hold a complete
     *     BERT encoder
     */
    public static BertWeights readBert(Path onnxFile, int numAttentionHeads) throws IOException {
        if (numAttentionHeads < 0) {
            throw new IllegalArgumentException(
                    "numAttentionHeads must be positive, or 0 for the default; got "
                            + numAttentionHeads);
        }
        OnnxGraph graph = OnnxGraphReader.read(onnxFile);
        OnnxBertMapping mapping = OnnxBertMapping.of(graph);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        mapping.sources()
                .forEach(
                        (name, src) -> {
                            long[] dims = graph.initializerShape(src.initializer()).orElseThrow();
                            shapes.put(
                                    name, src.transposed() ? new long[] {dims[1], dims[0]} : dims);
                        });
        BertConfig config;
        try {
            config = configFor(onnxFile, shapes, numAttentionHeads);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(onnxFile, e.getMessage(), e);
        }
        boolean pooler =
                shapes.containsKey(BertNames.POOLER_WEIGHT)
                        && shapes.containsKey(BertNames.POOLER_BIAS);
        Map<String, NamedArray> tensors = new LinkedHashMap<>();
        for (String name : BertNames.expectedShapes(config, pooler).keySet()) {
            OnnxBertMapping.Source src = mapping.sources().get(name);
            if (src == null) {
                continue; // BertWeights.of reports every missing tensor at once.
            }
            NamedArray stored = graph.readFloats(src.initializer());
            tensors.put(name, (src.transposed() ? stored.transpose2d() : stored).withName(name));
        }
        try {
            return BertWeights.of(config, tensors);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(onnxFile, e.getMessage(), e);
        }
    }

    private static BertConfig configFor(Path onnxFile, Map<String, long[]> shapes, int heads)
            throws IOException {
        Path dir = onnxFile.toAbsolutePath().getParent();
        Path configJson = dir == null ? null : dir.resolve("config.json");
        if (configJson != null && Files.isRegularFile(configJson)) {
            BertConfig fromJson = BertConfig.fromJson(configJson);
            return heads > 0 ? fromJson.withNumAttentionHeads(heads) : fromJson;
        }
        return ShapeInference.infer(shapes, heads);
    }
}
