package io.rankwise.models.deberta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.pretrained.PretrainedModels;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DebertaConfig: the fixture's fields, Hugging Face's defaults, and what is refused and why. */
class DebertaConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static ObjectNode fixtureConfig() throws IOException {
        return (ObjectNode)
                JSON.readTree(EncoderFixtures.folder("deberta-v2").resolve("config.json").toFile());
    }

    private static String refusal(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = fixtureConfig();
        edit.accept(config);
        return assertThrows(IllegalArgumentException.class, () -> DebertaConfig.fromJson(config))
                .getMessage();
    }

    @Test
    void readsTheFixture() throws IOException {
        DebertaConfig c = DebertaConfig.fromJson(fixtureConfig());
        assertEquals(128, c.vocabSize());
        assertEquals(32, c.hiddenSize());
        assertEquals(8, c.headSize());
        assertEquals(0, c.typeVocabSize());
        assertEquals(1e-7, c.layerNormEps());
        assertTrue(c.relativeAttention());
        assertEquals(List.of("p2c", "c2p"), c.posAttType());
        assertTrue(c.c2p() && c.p2c());
        assertEquals(3, c.scaleFactor());
        assertTrue(c.shareAttKey());
        assertTrue(c.relEmbeddingLayerNorm());
        assertFalse(c.positionBiasedInput());
        // max_relative_positions −1 falls back to max_position_embeddings; the span is the buckets.
        assertEquals(32, c.effectiveMaxRelativePositions());
        assertEquals(8, c.attentionSpan());
    }

    @Test
    void defaultsAsHuggingFace() {
        ObjectNode minimal = JSON.createObjectNode();
        minimal.put("model_type", "deberta-v2");
        minimal.put("vocab_size", 10);
        minimal.put("hidden_size", 8);
        minimal.put("num_hidden_layers", 1);
        minimal.put("num_attention_heads", 2);
        minimal.put("intermediate_size", 16);
        DebertaConfig c = DebertaConfig.fromJson(minimal);
        assertFalse(c.relativeAttention());
        assertTrue(c.positionBiasedInput());
        assertEquals(512, c.maxPositionEmbeddings());
        assertEquals(0, c.typeVocabSize());
        assertEquals(1e-7, c.layerNormEps());
        assertEquals(List.of(), c.posAttType());
        assertEquals(1, c.scaleFactor());
        assertFalse(c.shareAttKey());
        assertFalse(c.relEmbeddingLayerNorm());
        assertEquals(0, c.padTokenId());
        // Without buckets the span is the relative range.
        minimal.put("relative_attention", true);
        minimal.put("max_relative_positions", 6);
        assertEquals(6, DebertaConfig.fromJson(minimal).attentionSpan());
    }

    @Test
    void acceptsTheOldStringFormOfPosAttType() throws IOException {
        ObjectNode config = fixtureConfig();
        config.put("pos_att_type", "C2P| p2c");
        assertEquals(List.of("c2p", "p2c"), DebertaConfig.fromJson(config).posAttType());
        config.putNull("pos_att_type");
        assertEquals(List.of(), DebertaConfig.fromJson(config).posAttType());
    }

    @Test
    void refusesAnUnknownPosAttTypeEntry() throws IOException {
        assertEquals(
                "pos_att_type contains 'p2p'; accepted: a list of c2p, p2c (or the string"
                        + " \"p2c|c2p\")",
                refusal(c -> c.putArray("pos_att_type").add("c2p").add("p2p")));
        assertTrue(
                refusal(c -> c.putArray("pos_att_type").add("c2p").add("c2p"))
                        .contains("names a term twice"));
        assertTrue(
                refusal(c -> c.put("pos_att_type", 3)).startsWith("pos_att_type must be a list"));
    }

    @Test
    void refusesLayersTheEncoderDoesNotHave() throws IOException {
        assertEquals(
                "conv_kernel_size is 3; accepted: 0 or absent (the convolution layer of"
                        + " DeBERTa-v2-xlarge and -xxlarge is not implemented)",
                refusal(c -> c.put("conv_kernel_size", 3)));
        assertEquals(
                "embedding_size is 16; accepted: hidden_size (32) or absent (the embed_proj layer"
                        + " is not implemented)",
                refusal(c -> c.put("embedding_size", 16)));
        assertTrue(
                refusal(c -> c.put("pooler_hidden_size", 64))
                        .startsWith("pooler_hidden_size is 64; accepted: hidden_size (32)"));
        assertTrue(
                refusal(c -> c.put("attention_head_size", 16))
                        .startsWith(
                                "attention_head_size is 16; accepted: hidden_size /"
                                        + " num_attention_heads = 32 / 4"));
        assertEquals(
                "hidden_act is relu; accepted: gelu, gelu_python (the exact, erf-based GELU, which"
                        + " is what the encoder computes)",
                refusal(c -> c.put("hidden_act", "relu")));
        assertTrue(
                refusal(c -> c.put("pooler_hidden_act", "tanh"))
                        .startsWith("pooler_hidden_act is tanh; accepted: gelu, gelu_python"));
        assertEquals(
                "norm_rel_ebd contains 'layernorm'; accepted: none, layer_norm (joined by |)",
                refusal(c -> c.put("norm_rel_ebd", "layernorm")));
        assertEquals(
                "model_type is 'bert'; a DeBERTa config has model_type 'deberta-v2'",
                refusal(c -> c.put("model_type", "bert")));
        assertEquals(
                "hidden_size 30 is not a multiple of num_attention_heads 4",
                refusal(c -> c.put("hidden_size", 30).remove("pooler_hidden_size")));
    }

    @Test
    void refusesHostileSizesBeforeAllocating() throws IOException {
        assertTrue(
                refusal(c -> c.put("num_hidden_layers", Integer.MAX_VALUE))
                        .startsWith("num_hidden_layers is 2147483647, more than the 1024"));
        assertTrue(
                refusal(c -> c.put("vocab_size", 1 << 30))
                        .startsWith("vocab_size is 1073741824, more than the 8388608"));
        assertTrue(
                refusal(c -> c.put("position_buckets", Integer.MAX_VALUE))
                        .startsWith("position_buckets is 2147483647, more than the 1048576"));
        assertTrue(
                refusal(c -> c.put("max_relative_positions", 1 << 30))
                        .startsWith("max_relative_positions is 1073741824, more than"));
        assertTrue(
                refusal(c -> c.put("max_position_embeddings", 1 << 30))
                        .startsWith("max_position_embeddings is 1073741824, more than"));
        // Each size is in bounds, but vocab × hidden is more than one array holds.
        assertEquals(
                "vocab_size 8388608 × hidden_size 131072 is more elements than one weight matrix"
                        + " can hold",
                refusal(
                        c -> {
                            c.put("vocab_size", 1 << 23);
                            c.put("hidden_size", 1 << 17);
                            c.remove("pooler_hidden_size");
                        }));
        assertEquals(
                "type_vocab_size is -1; accepted: 0 (none) or more",
                refusal(c -> c.put("type_vocab_size", -1)));
        assertEquals(
                "config.json lacks the integer field 'hidden_size'",
                refusal(c -> c.put("hidden_size", "32")));
        assertEquals(
                "config.json field 'share_att_key' must be true or false, got \"yes\"",
                refusal(c -> c.put("share_att_key", "yes")));
        assertEquals(
                "pad_token_id is 128; accepted: an id in [0, vocab_size)",
                refusal(c -> c.put("pad_token_id", 128)));
    }

    @Test
    void aRefusedConfigNamesItsFileThroughPretrainedModels() throws IOException {
        Path folder = dir.resolve("hostile");
        Files.createDirectories(folder);
        Path source = EncoderFixtures.folder("deberta-v2");
        for (String f : List.of("model.safetensors", "tokenizer.json")) {
            Files.copy(source.resolve(f), folder.resolve(f));
        }
        ObjectNode config = fixtureConfig();
        config.put("conv_kernel_size", 3);
        Files.writeString(folder.resolve("config.json"), config.toString());
        var e = assertThrows(WeightFormatException.class, () -> PretrainedModels.load(folder));
        assertTrue(
                e.getMessage()
                        .startsWith(folder.resolve("config.json") + ": conv_kernel_size is 3"),
                e.getMessage());
    }
}
