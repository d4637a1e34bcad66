package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthetic ONNX export of a tiny BERT, laid out as PyTorch's exporter does it (transposed {@code
 * onnx::MatMul_NNN} weights, MatMul then Add of a named bias), with the storage variants the reader
 * must handle: raw_data, packed float_data, float16, a {@code bert.} prefix, and both operand
 * orders of the Add.
 */
class OnnxSyntheticTest {
    @TempDir Path dir;

    private static final long SEED = 42;

    /** Writes the ONNX model of {@code weights}; {@code extra} adds initializers to the graph. */
    static Path writeModel(Path file, Map<String, NamedArray> weights, ProtoBytes... extra)
            throws IOException {
        ProtoBytes graph = new ProtoBytes().string(2, "torch_jit");
        String x = "hidden";
        int k = 700;
        for (NamedArray t : weights.values()) {
            String name = t.name();
            boolean linear = t.rank() == 2 && name.startsWith("encoder.layer.");
            if (!linear) {
                if (name.equals(BertNames.WORD_EMBEDDINGS)) {
                    graph.message(5, packedFloatTensor("bert." + name, t));
                } else if (name.equals(BertNames.EMBEDDINGS_LAYER_NORM_WEIGHT)) {
                    graph.message(5, halfTensor("bert." + name, t));
                } else {
                    graph.message(5, ProtoBytes.floatTensor("bert." + name, t.shape(), t.data()));
                }
                continue;
            }
            String weight = "onnx::MatMul_" + (k++);
            NamedArray stored = t.transpose2d();
            graph.message(5, ProtoBytes.floatTensor(weight, stored.shape(), stored.data()));
            String bias = "bert." + name.substring(0, name.length() - ".weight".length()) + ".bias";
            String product = "/mm_" + weight;
            graph.message(1, ProtoBytes.node("MatMul", new String[] {x, weight}, product));
            String[] addInputs =
                    k % 2 == 0 ? new String[] {bias, product} : new String[] {product, bias};
            graph.message(1, ProtoBytes.node("Add", addInputs, "/add_" + weight));
            x = "/add_" + weight;
        }
        for (ProtoBytes e : extra) {
            graph.message(5, e);
        }
        graph.message(
                5,
                new ProtoBytes()
                        .varint(1, 1)
                        .varint(1, 6)
                        .varint(2, 7)
                        .string(8, "bert.embeddings.position_ids")
                        .bytes(7, packedVarints(0, 1, 2, 3, 4, 5)));
        graph.message(11, new ProtoBytes().string(1, "input_ids"));
        graph.message(12, new ProtoBytes().string(1, "last_hidden_state"));
        ProtoBytes model =
                new ProtoBytes()
                        .varint(1, 7)
                        .string(2, "pytorch")
                        .message(7, graph)
                        .message(8, new ProtoBytes().varint(2, 11));
        Files.write(file, model.toByteArray());
        return file;
    }

    private static ProtoBytes packedFloatTensor(String name, NamedArray t) {
        ProtoBytes p = new ProtoBytes();
        for (long d : t.shape()) {
            p.varint(1, d);
        }
        ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data());
        return p.varint(2, 1).bytes(4, b.array()).string(8, name);
    }

    private static ProtoBytes halfTensor(String name, NamedArray t) {
        ProtoBytes p =
                new ProtoBytes().bytes(1, packedVarints(t.shape())).varint(2, 10).string(8, name);
        ByteBuffer b = ByteBuffer.allocate(2 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : t.data()) {
            b.putShort(toHalf(f));
        }
        return p.bytes(9, b.array());
    }

    /** float → binary16 for the normal, exactly representable values TinyBert uses (and zero). */
    private static short toHalf(float f) {
        if (f == 0) {
            return 0;
        }
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = (bits >>> 13) & 0x3FF;
        return (short) (sign | (exponent << 10) | mantissa);
    }

    private static byte[] packedVarints(long... values) {
        ProtoBytes p = new ProtoBytes();
        for (long v : values) {
            p.rawVarint(v);
        }
        return p.toByteArray();
    }

    @Test
    void readsEveryStorageVariantAndTracesLinearWeights() throws IOException {
        Map<String, NamedArray> expected = TinyBert.tensors(false, SEED);
        Path file = writeModel(dir.resolve("tiny.onnx"), expected);
        BertWeights weights = OnnxWeightReader.readBert(file, 2);
        assertEquals(TinyBert.CONFIG, weights.config());
        assertEquals(BertWeights.of(TinyBert.CONFIG, expected), weights);

        OnnxGraph graph = OnnxGraphReader.read(file);
        assertEquals(java.util.List.of("input_ids"), graph.inputs());
        assertEquals(java.util.List.of("last_hidden_state"), graph.outputs());
        assertEquals("INT64", graph.initializerType("bert.embeddings.position_ids").orElseThrow());
        OnnxBertMapping mapping = OnnxBertMapping.of(graph);
        assertEquals(
                new OnnxBertMapping.Source("onnx::MatMul_700", true),
                mapping.source("encoder.layer.0.attention.self.query.weight").orElseThrow());
        assertEquals(
                new OnnxBertMapping.Source("bert.encoder.layer.0.attention.self.query.bias", false),
                mapping.source("encoder.layer.0.attention.self.query.bias").orElseThrow());
    }

    @Test
    void usesConfigJsonBesideTheModel() throws IOException {
        Path file = writeModel(dir.resolve("model.onnx"), TinyBert.tensors(false, SEED));
        var e = assertThrows(WeightFormatException.class, () -> OnnxWeightReader.readBert(file));
        assertTrue(
                e.getMessage().contains("no default number of attention heads for hidden size 4"),
                e.getMessage());
        TinyBert.CONFIG.withNumAttentionHeads(4).writeJson(dir.resolve("config.json"));
        assertEquals(4, OnnxWeightReader.readBert(file).config().numAttentionHeads());
        assertEquals(2, OnnxWeightReader.readBert(file, 2).config().numAttentionHeads());
    }

    @Test
    void reportsMissingWeightsByName() throws IOException {
        Map<String, NamedArray> tensors = TinyBert.tensors(false, SEED);
        tensors.remove("encoder.layer.1.output.LayerNorm.bias");
        Path file = writeModel(dir.resolve("tiny.onnx"), tensors);
        var e = assertThrows(WeightFormatException.class, () -> OnnxWeightReader.readBert(file, 2));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(
                e.getMessage().contains("missing encoder.layer.1.output.LayerNorm.bias [4]"),
                e.getMessage());
    }

    @Test
    void refusesExternalData() throws IOException {
        ProtoBytes external =
                new ProtoBytes()
                        .varint(1, 4)
                        .varint(2, 1)
                        .string(8, "big")
                        .message(
                                13, new ProtoBytes().string(1, "location").string(2, "weights.bin"))
                        .varint(14, 1);
        Path file = writeModel(dir.resolve("ext.onnx"), TinyBert.tensors(false, SEED), external);
        var e = assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(file));
        assertTrue(
                e.getMessage().contains("external file, which is not supported"), e.getMessage());

        ProtoBytes location =
                new ProtoBytes().varint(1, 4).varint(2, 1).string(8, "big2").varint(14, 1);
        Path file2 = writeModel(dir.resolve("ext2.onnx"), TinyBert.tensors(false, SEED), location);
        var e2 = assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(file2));
        assertTrue(e2.getMessage().contains("data_location EXTERNAL"), e2.getMessage());
    }

    @Test
    void rejectsDimsThatOverflowOrDisagreeWithTheData() throws IOException {
        ProtoBytes huge =
                new ProtoBytes()
                        .varint(1, 1L << 40)
                        .varint(1, 1L << 40)
                        .varint(2, 1)
                        .string(8, "huge");
        Path file = writeModel(dir.resolve("huge.onnx"), TinyBert.tensors(false, SEED), huge);
        var e = assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(file));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());

        ProtoBytes deep = new ProtoBytes().varint(2, 1).string(8, "deep");
        for (int i = 0; i < 65; i++) {
            deep.varint(1, 1);
        }
        Path deepFile = writeModel(dir.resolve("deep.onnx"), TinyBert.tensors(false, SEED), deep);
        assertTrue(
                assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(deepFile))
                        .getMessage()
                        .contains("more than 64 dims"));

        ProtoBytes big =
                new ProtoBytes()
                        .varint(1, 1L << 31)
                        .varint(2, 1)
                        .string(8, "big")
                        .bytes(9, new byte[8]);
        Path file2 = writeModel(dir.resolve("big.onnx"), TinyBert.tensors(false, SEED), big);
        var e2 =
                assertThrows(
                        WeightFormatException.class,
                        () -> OnnxGraphReader.read(file2).readFloats("big"));
        assertTrue(e2.getMessage().contains("too many for one array"), e2.getMessage());

        ProtoBytes short_ = ProtoBytes.floatTensor("short", new long[] {3}, new float[] {1, 2});
        Path file3 = writeModel(dir.resolve("short.onnx"), TinyBert.tensors(false, SEED), short_);
        var e3 =
                assertThrows(
                        WeightFormatException.class,
                        () -> OnnxGraphReader.read(file3).readFloats("short"));
        assertTrue(e3.getMessage().contains("raw_data holds 8 bytes"), e3.getMessage());
    }

    @Test
    void rejectsFilesThatAreNotOnnx() throws IOException {
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertTrue(
                assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(empty))
                        .getMessage()
                        .contains("empty file"));
        Path json = Files.writeString(dir.resolve("config.onnx"), "{\"hidden_size\": 384}");
        assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(json));
        Path noGraph =
                Files.write(
                        dir.resolve("nograph.onnx"), new ProtoBytes().varint(1, 7).toByteArray());
        assertTrue(
                assertThrows(WeightFormatException.class, () -> OnnxGraphReader.read(noGraph))
                        .getMessage()
                        .contains("no graph"));
    }
}
