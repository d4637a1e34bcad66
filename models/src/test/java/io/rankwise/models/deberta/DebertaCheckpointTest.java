package io.rankwise.models.deberta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.SafetensorsWriter;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DeBERTa checkpoint loader on edited copies of the fixtures: a missing, extra or misshapen
 * encoder key is an error naming it; keys Hugging Face also skips (pre-training heads, buffers,
 * unused absolute positions) are ignored; the head's keys are kept.
 */
class DebertaCheckpointTest {
    @TempDir Path dir;

    /** The fixture's tensors by stored name, in file order. */
    private static Map<String, NamedArray> tensors(String fixture) throws IOException {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        try (SafetensorsReader reader =
                SafetensorsReader.open(
                        EncoderFixtures.folder(fixture).resolve("model.safetensors"))) {
            for (SafetensorsEntry e : reader.entries()) {
                out.put(e.name(), reader.read(e.name()));
            }
        }
        return out;
    }

    /** A copy of {@code fixture} with its tensors and config edited. */
    private Path copy(
            String fixture,
            Consumer<Map<String, NamedArray>> editTensors,
            Consumer<ObjectNode> editConfig)
            throws IOException {
        Path source = EncoderFixtures.folder(fixture);
        Path folder = Files.createTempDirectory(dir, fixture);
        Map<String, NamedArray> tensors = tensors(fixture);
        editTensors.accept(tensors);
        SafetensorsWriter.write(
                folder.resolve("model.safetensors"),
                new ArrayList<>(tensors.values()),
                Map.of("format", "pt"));
        ObjectNode config =
                (ObjectNode) new ObjectMapper().readTree(source.resolve("config.json").toFile());
        editConfig.accept(config);
        Files.writeString(folder.resolve("config.json"), config.toString());
        Files.copy(source.resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        return folder;
    }

    private static NamedArray zeros(String name, long... shape) {
        return new NamedArray(name, shape, new float[(int) NamedArray.elementCount(shape)]);
    }

    private String refusal(
            String fixture,
            Consumer<Map<String, NamedArray>> editTensors,
            Consumer<ObjectNode> editConfig)
            throws IOException {
        Path folder = copy(fixture, editTensors, editConfig);
        return assertThrows(WeightFormatException.class, () -> DebertaCheckpoint.load(folder))
                .getMessage();
    }

    @Test
    void loadsTheFixturesWithTheirHeads() throws IOException {
        for (String fixture : List.of("deberta-v2", "deberta-v2-c2p")) {
            DebertaCheckpoint.Loaded loaded =
                    DebertaCheckpoint.load(EncoderFixtures.folder(fixture));
            DebertaConfig config = loaded.weights().config();
            assertEquals(
                    DebertaNames.expectedShapes(config).keySet(),
                    loaded.weights().asMap().keySet());
            assertEquals(
                    Set.of(
                            "pooler.dense.weight",
                            "pooler.dense.bias",
                            "classifier.weight",
                            "classifier.bias"),
                    loaded.head().keySet());
            boolean unshared = fixture.equals("deberta-v2-c2p");
            assertEquals(
                    unshared,
                    loaded.weights()
                            .asMap()
                            .containsKey("encoder.layer.1.attention.self.pos_key_proj.weight"));
            assertEquals(
                    16L, loaded.weights().get(DebertaNames.REL_EMBEDDINGS).dim(0), "2 × buckets");
        }
    }

    @Test
    void ignoresPretrainingHeadsBuffersAndUnusedPositionsAndAcceptsUnprefixedNames()
            throws IOException {
        Path folder =
                copy(
                        "deberta-v2",
                        t -> {
                            Map<String, NamedArray> renamed = new LinkedHashMap<>();
                            t.forEach(
                                    (k, v) -> {
                                        String name =
                                                k.startsWith("deberta.")
                                                        ? k.substring("deberta.".length())
                                                        : k;
                                        renamed.put(name, v.withName(name));
                                    });
                            t.clear();
                            t.putAll(renamed);
                            t.put(
                                    "lm_predictions.lm_head.dense.weight",
                                    zeros("lm_predictions.lm_head.dense.weight", 32, 32));
                            t.put(
                                    "mask_predictions.classifier.weight",
                                    zeros("mask_predictions.classifier.weight", 1, 32));
                            t.put(
                                    "embeddings.position_ids",
                                    zeros("embeddings.position_ids", 1, 32));
                            t.put(
                                    "embeddings.position_embeddings.weight",
                                    zeros("embeddings.position_embeddings.weight", 32, 32));
                        },
                        c -> {});
        DebertaCheckpoint.Loaded loaded = DebertaCheckpoint.load(folder);
        DebertaCheckpoint.Loaded original =
                DebertaCheckpoint.load(EncoderFixtures.folder("deberta-v2"));
        assertEquals(original.weights().asMap(), loaded.weights().asMap());
        assertEquals(original.head(), loaded.head());
    }

    @Test
    void aMissingKeyIsNamed() throws IOException {
        String message =
                refusal(
                        "deberta-v2",
                        t -> t.remove("deberta.encoder.layer.1.attention.self.value_proj.bias"),
                        c -> {});
        assertTrue(
                message.contains("missing encoder.layer.1.attention.self.value_proj.bias [32]"),
                message);
        // The config asks for the unshared projections the weights do not have.
        message = refusal("deberta-v2", t -> {}, c -> c.put("share_att_key", false));
        assertTrue(
                message.contains("missing encoder.layer.0.attention.self.pos_key_proj.weight")
                        && message.contains(
                                "missing encoder.layer.0.attention.self.pos_query_proj.weight"),
                message);
    }

    @Test
    void anExtraEncoderKeyIsNamed() throws IOException {
        String stored = "deberta.encoder.layer.0.attention.self.pos_key_proj.weight";
        String message = refusal("deberta-v2", t -> t.put(stored, zeros(stored, 32, 32)), c -> {});
        assertTrue(
                message.contains("unexpected tensor '" + stored + "'")
                        && message.contains("share_att_key"),
                message);
        String layer = "deberta.encoder.layer.2.output.dense.bias";
        message = refusal("deberta-v2", t -> t.put(layer, zeros(layer, 32)), c -> {});
        assertTrue(message.contains("unexpected tensor '" + layer + "'"), message);
        // Token types the config does not have.
        String types = "deberta.embeddings.token_type_embeddings.weight";
        message = refusal("deberta-v2", t -> t.put(types, zeros(types, 2, 32)), c -> {});
        assertTrue(message.contains("unexpected tensor '" + types + "'"), message);
    }

    @Test
    void aMisshapenKeyIsNamedBeforeItIsRead() throws IOException {
        String rel = "deberta.encoder.rel_embeddings.weight";
        String message = refusal("deberta-v2", t -> t.put(rel, zeros(rel, 15, 32)), c -> {});
        assertTrue(
                message.contains(
                        "tensor '"
                                + rel
                                + "' has shape [15, 32], expected [16, 32] for"
                                + " encoder.rel_embeddings.weight"),
                message);
        // position_buckets changes the expected shape of the relative embedding.
        message = refusal("deberta-v2", t -> {}, c -> c.put("position_buckets", 4));
        assertTrue(message.contains("has shape [16, 32], expected [8, 32]"), message);
    }

    @Test
    void aConfigWithMoreLayersThanTheWeightsIsRefused() throws IOException {
        Path folder = copy("deberta-v2", t -> {}, c -> c.put("num_hidden_layers", 1000));
        var e = assertThrows(WeightFormatException.class, () -> DebertaCheckpoint.load(folder));
        assertEquals(
                folder.resolve("config.json")
                        + ": num_hidden_layers is 1000 but the weights hold 2 (encoder.layer.0 to"
                        + " encoder.layer.1)",
                e.getMessage());
    }

    @Test
    void refusesPickledWeights() throws IOException {
        Path folder = copy("deberta-v2", t -> {}, c -> {});
        Files.delete(folder.resolve("model.safetensors"));
        Files.write(folder.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        var e = assertThrows(WeightFormatException.class, () -> DebertaCheckpoint.load(folder));
        assertTrue(
                e.getMessage().contains("only safetensors weights are supported"), e.getMessage());
    }
}
