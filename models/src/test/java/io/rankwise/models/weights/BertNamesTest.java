package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BertNamesTest {
    @Test
    void stripsModelPrefixes() {
        assertEquals(
                Optional.of("encoder.layer.3.output.dense.bias"),
                BertNames.normalise("bert.encoder.layer.3.output.dense.bias"));
        assertEquals(
                Optional.of("embeddings.LayerNorm.weight"),
                BertNames.normalise("model.bert.embeddings.LayerNorm.weight"));
        assertEquals(
                Optional.of("pooler.dense.weight"), BertNames.normalise("pooler.dense.weight"));
        assertEquals(Optional.empty(), BertNames.normalise("onnx::MatMul_787"));
        assertEquals(
                Optional.empty(), BertNames.normalise("cls.predictions.transform.dense.weight"));
        assertEquals(Optional.empty(), BertNames.normalise("classifier.weight"));
        // "myembeddings." is not a segment boundary.
        assertEquals(Optional.empty(), BertNames.normalise("myembeddings.x"));
    }

    @Test
    void expectedShapesFollowTheLinearLayout() {
        Map<String, long[]> shapes = BertNames.expectedShapes(TinyBert.CONFIG, false);
        assertEquals(5 + 2 * 16, shapes.size());
        assertArrayEquals(
                new long[] {8, 4}, shapes.get("encoder.layer.1.intermediate.dense.weight"));
        assertArrayEquals(new long[] {4, 8}, shapes.get("encoder.layer.1.output.dense.weight"));
        assertArrayEquals(new long[] {11, 4}, shapes.get(BertNames.WORD_EMBEDDINGS));
    }

    @Test
    void bertWeightsListEveryProblem() {
        Map<String, NamedArray> tensors = TinyBert.tensors(false, 1);
        tensors.remove("encoder.layer.0.attention.self.key.weight");
        tensors.put(
                "encoder.layer.1.output.dense.weight",
                new NamedArray("x", new long[] {8, 4}, new float[32]));
        tensors.put(
                "classifier.weight",
                new NamedArray("classifier.weight", new long[] {1}, new float[1]));
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> BertWeights.of(TinyBert.CONFIG, tensors));
        assertTrue(
                e.getMessage().contains("missing encoder.layer.0.attention.self.key.weight [4, 4]"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "encoder.layer.1.output.dense.weight has shape [8, 4], expected [4, 8]"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("unexpected tensors [classifier.weight]"), e.getMessage());
    }

    @Test
    void configChecksHeadsAndKnowsDefaults() {
        assertThrows(
                IllegalArgumentException.class, () -> TinyBert.CONFIG.withNumAttentionHeads(3));
        assertEquals(12, BertConfig.defaultHeadsFor(384));
        assertEquals(12, BertConfig.defaultHeadsFor(768));
        assertEquals(16, BertConfig.defaultHeadsFor(1024));
        var e = assertThrows(IllegalArgumentException.class, () -> BertConfig.defaultHeadsFor(100));
        assertTrue(e.getMessage().contains("give it explicitly"));
        assertEquals(TinyBert.CONFIG, BertConfig.fromJson(TinyBert.CONFIG.toJson()));
    }

    @Test
    void transposeSwapsAxes() {
        NamedArray a = new NamedArray("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        NamedArray t = a.transpose2d();
        assertArrayEquals(new long[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.data());
        assertThrows(
                IllegalArgumentException.class,
                () -> new NamedArray("b", new long[] {2, 2}, new float[3]));
    }
}
