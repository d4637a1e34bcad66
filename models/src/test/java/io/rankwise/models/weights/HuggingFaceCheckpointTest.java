package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceCheckpointTest {
    @TempDir Path dir;

    /** A BertForSequenceClassification-style folder: "bert." prefixes and a classifier head. */
    private Path syntheticCheckpoint(Map<String, NamedArray> tensors) throws IOException {
        List<NamedArray> stored = new ArrayList<>();
        tensors.values().forEach(t -> stored.add(t.withName("bert." + t.name())));
        stored.add(new NamedArray("classifier.weight", new long[] {2, 4}, new float[8]));
        stored.add(new NamedArray("classifier.bias", new long[] {2}, new float[2]));
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), stored, Map.of("format", "pt"));
        Files.writeString(
                dir.resolve("config.json"),
                """
        {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
         "vocab_size": 11, "hidden_size": 4, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 8, "max_position_embeddings": 6, "type_vocab_size": 2,
         "hidden_act": "gelu", "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.1}
        """);
        return dir;
    }

    @Test
    void loadsPrefixedCheckpointAndIgnoresTheHead() throws IOException {
        Map<String, NamedArray> tensors = TinyBert.tensors(true, 7);
        HuggingFaceCheckpoint ckpt = HuggingFaceCheckpoint.load(syntheticCheckpoint(tensors));
        assertEquals(TinyBert.CONFIG, ckpt.config());
        assertEquals(BertWeights.of(TinyBert.CONFIG, tensors), ckpt.weights());
        assertTrue(ckpt.weights().hasPooler());
        assertFalse(ckpt.tokenizerJson().isPresent());
    }

    @Test
    void refusesAnActivationTheEncoderDoesNotCompute() throws IOException {
        Path checkpoint = syntheticCheckpoint(TinyBert.tensors(true, 7));
        Path config = checkpoint.resolve("config.json");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"relu\""));
        var e = assertThrows(Exception.class, () -> HuggingFaceCheckpoint.load(checkpoint));
        assertTrue(
                e.getMessage().contains("hidden_act is relu; accepted: gelu, gelu_python"),
                e.getClass() + ": " + e.getMessage());
    }

    @Test
    void refusesPickledWeights() throws IOException {
        Files.writeString(dir.resolve("config.json"), TinyBert.CONFIG.toJson().toString());
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        var e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e.getMessage().contains("only safetensors weights are supported"), e.getMessage());
    }

    @Test
    void reportsMissingConfigAndMisfittingWeights() throws IOException {
        assertThrows(NoSuchFileException.class, () -> HuggingFaceCheckpoint.load(dir));
        Map<String, NamedArray> tensors = TinyBert.tensors(false, 7);
        tensors.remove("encoder.layer.1.attention.self.value.bias");
        syntheticCheckpoint(tensors);
        var e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e.getMessage().contains("missing encoder.layer.1.attention.self.value.bias"),
                e.getMessage());

        Files.writeString(
                dir.resolve("config.json"), "{\"model_type\": \"distilbert\", \"hidden_size\": 4}");
        var e2 = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e2.getMessage().contains("model_type 'distilbert' is not supported"),
                e2.getMessage());
    }

    @Test
    void loadsShardedCheckpoints() throws IOException {
        Map<String, NamedArray> tensors = TinyBert.tensors(false, 9);
        List<NamedArray> all = new ArrayList<>(tensors.values());
        SafetensorsWriter.write(
                dir.resolve("model-00001-of-00002.safetensors"), all.subList(0, 10));
        SafetensorsWriter.write(
                dir.resolve("model-00002-of-00002.safetensors"), all.subList(10, all.size()));
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            map.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(all.get(i).name())
                    .append("\":\"model-0000")
                    .append(i < 10 ? 1 : 2)
                    .append("-of-00002.safetensors\"");
        }
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), "{\"weight_map\":{" + map + "}}");
        TinyBert.CONFIG.writeJson(dir.resolve("config.json"));
        assertEquals(
                BertWeights.of(TinyBert.CONFIG, tensors),
                HuggingFaceCheckpoint.load(dir).weights());
    }

    @Test
    void miniLmRoundTripsThroughSafetensors() throws IOException {
        EmbeddedModel model = EmbeddedModels.miniLmL6();
        BertWeights fromOnnx = model.loadWeights();
        Path out = dir.resolve("minilm");
        HuggingFaceCheckpoint.save(out, fromOnnx, model.tokenizerJson());
        HuggingFaceCheckpoint loaded = HuggingFaceCheckpoint.load(out);
        assertEquals(fromOnnx.config(), loaded.config());
        assertEquals(fromOnnx, loaded.weights());
        assertEquals(out.resolve("tokenizer.json"), loaded.tokenizerJson().orElseThrow());
    }
}
