package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 ONNX file from the langchain4j jar. */
class OnnxWeightReaderTest {
    private static EmbeddedModel model;
    private static OnnxGraph graph;
    private static BertWeights weights;

    @BeforeAll
    static void load() throws IOException {
        model = EmbeddedModels.miniLmL6();
        graph = OnnxGraphReader.read(model.onnxFile());
        weights = model.loadWeights();
    }

    @Test
    void findsTheMiniLmArchitecture() throws IOException {
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), graph.inputs());
        assertEquals(List.of("last_hidden_state"), graph.outputs());
        BertConfig expected = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu");
        assertEquals(expected, weights.config());
        // Without config.json the same architecture follows from the shapes and the heads table.
        OnnxBertMapping mapping = OnnxBertMapping.of(graph);
        java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        mapping.sources()
                .forEach(
                        (n, s) -> {
                            long[] d = graph.initializerShape(s.initializer()).orElseThrow();
                            shapes.put(n, s.transposed() ? new long[] {d[1], d[0]} : d);
                        });
        assertEquals(expected, ShapeInference.infer(shapes, 0));

        assertEquals(101, weights.names().size());
        assertFalse(weights.hasPooler());
        // 22,713,216 parameters in the full model, less the pooler's 384 * 384 + 384.
        assertEquals(22_713_216L - 147_840L, weights.parameterCount());
        assertTrue(mapping.unmapped().isEmpty(), () -> "unmapped: " + mapping.unmapped());

        System.out.println(
                "[MiniLM ONNX] "
                        + graph.initializerNames().size()
                        + " initializers, "
                        + graph.nodes().size()
                        + " nodes; layer 0 mapping:\n  "
                        + mapping.sources().entrySet().stream()
                                .filter(e -> e.getKey().startsWith("encoder.layer.0."))
                                .map(
                                        e ->
                                                e.getKey()
                                                        + " <- "
                                                        + e.getValue().initializer()
                                                        + java.util.Arrays.toString(
                                                                graph.initializerShape(
                                                                                e.getValue()
                                                                                        .initializer())
                                                                        .orElseThrow())
                                                        + (e.getValue().transposed()
                                                                ? " (transposed)"
                                                                : ""))
                                .collect(Collectors.joining("\n  ")));
    }

    @Test
    void transposesMatMulWeightsToOutIn() throws IOException {
        OnnxBertMapping.Source src =
                OnnxBertMapping.of(graph)
                        .source("encoder.layer.0.intermediate.dense.weight")
                        .orElseThrow();
        assertTrue(src.initializer().startsWith("onnx::MatMul_"));
        NamedArray stored = graph.readFloats(src.initializer());
        assertArrayEquals(new long[] {384, 1536}, stored.shape());
        NamedArray hf = weights.get("encoder.layer.0.intermediate.dense.weight");
        assertArrayEquals(new long[] {1536, 384}, hf.shape());
        for (int out = 0; out < 1536; out += 97) {
            for (int in = 0; in < 384; in += 31) {
                assertEquals(stored.data()[in * 1536 + out], hf.data()[out * 384 + in]);
            }
        }
    }

    @Test
    void matchesTheBytesOfTheFile() throws IOException {
        // Independent of the protobuf reader: find the tensor's name in the file (its last
        // occurrence: nodes, which also name it, come before initializers); PyTorch writes raw_data
        // (tag 0x4A) with a 4-byte length right after it.
        byte[] file = Files.readAllBytes(model.onnxFile());
        byte[] name = "embeddings.word_embeddings.weight".getBytes(StandardCharsets.UTF_8);
        int at = lastIndexOf(file, name) + name.length;
        assertEquals(0x4A, file[at] & 0xFF);
        int length =
                (file[at + 1] & 0x7F)
                        | (file[at + 2] & 0x7F) << 7
                        | (file[at + 3] & 0x7F) << 14
                        | (file[at + 4] & 0x7F) << 21;
        assertEquals(30522 * 384 * 4, length);
        ByteBuffer raw =
                ByteBuffer.wrap(file, at + 5, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] words = weights.get(BertNames.WORD_EMBEDDINGS).data();
        for (int token : new int[] {0, 101, 102, 7592, 30521}) {
            for (int j = 0; j < 384; j += 7) {
                assertEquals(raw.getFloat(4 * (token * 384 + j)), words[token * 384 + j]);
            }
        }
    }

    @Test
    void weightsLookLikeATrainedBert() {
        // LayerNorm gains of a trained BERT sit around 1 and its biases near 0; garbage would not.
        float[] gamma = weights.get("encoder.layer.5.output.LayerNorm.weight").data();
        double mean = 0;
        for (float g : gamma) {
            mean += g / gamma.length;
        }
        assertTrue(mean > 0.2 && mean < 2.0, "mean LayerNorm gain " + mean);
        for (NamedArray t : weights.asMap().values()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), t.name());
            }
        }
    }

    /** The last occurrence of {@code needle}. */
    static int lastIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
