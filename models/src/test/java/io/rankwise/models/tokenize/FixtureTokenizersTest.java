package io.rankwise.models.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BertTokenizer} on the three kinds of tokenizer.json of the encoder fixtures (made by
 * {@code src/test/python/make_encoder_fixtures.py}, whose expected ids come from its own
 * tokenizers): WordPiece (bert), byte-level BPE with RoBERTa's post-processor (roberta), and
 * Unigram with a Metaspace pre-tokenizer (deberta-v2). Rows are padded with the config's {@code
 * pad_token_id} (1 for RoBERTa).
 */
class FixtureTokenizersTest {

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "deberta-v2"})
    void givesTheReferenceIdsMaskAndTypes(String fixture) throws IOException, URISyntaxException {
        Path folder = io.rankwise.testing.EncoderFixtures.folder(fixture);
        ObjectMapper json = new ObjectMapper();
        long pad =
                json.readTree(folder.resolve("config.json").toFile()).get("pad_token_id").asLong();
        JsonNode reference = json.readTree(folder.resolve("reference.json").toFile());
        for (JsonNode c : reference.get("cases")) {
            String name = c.get("name").asText();
            int length = c.get("input_ids").get(0).size();
            try (BertTokenizer tokenizer =
                    BertTokenizer.fromFile(folder.resolve("tokenizer.json"), length, pad)) {
                TokenizedBatch batch =
                        c.get("text_pair").isNull()
                                ? tokenizer.encode(strings(c.get("text")))
                                : tokenizer.encodePairs(
                                        strings(c.get("text")), strings(c.get("text_pair")));
                assertArrayEquals(flat(c.get("input_ids")), batch.inputIds(), name + ": ids");
                assertArrayEquals(
                        flat(c.get("attention_mask")), batch.attentionMask(), name + ": mask");
                assertArrayEquals(
                        flat(c.get("token_type_ids")), batch.tokenTypeIds(), name + ": types");
            }
        }
    }

    /**
     * A Unigram model without its unknown piece, or with a malformed piece, is refused in Java
     * naming the file, before the native library (which fails on every text with a character
     * outside the vocabulary) sees it.
     */
    @Test
    void refusesAUnigramModelWithoutItsUnknownPiece(@TempDir Path dir)
            throws IOException, URISyntaxException {
        Path source =
                io.rankwise.testing.EncoderFixtures.folder("deberta-v2").resolve("tokenizer.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(source.toFile());
        ObjectNode model = (ObjectNode) root.get("model");
        Path file = dir.resolve("tokenizer.json");
        model.putNull("unk_id");
        Files.writeString(file, root.toString());
        var e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertEquals(
                file
                        + ": model.unk_id is null; accepted: an index into model.vocab (0 to 60),"
                        + " without which every text with a character outside the vocabulary would"
                        + " fail",
                e.getMessage());
        model.put("unk_id", 3);
        ((ArrayNode) model.get("vocab")).set(5, json.readTree("[\"x\"]"));
        Files.writeString(file, root.toString());
        e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertEquals(
                file
                        + ": model.vocab[5] must be a [piece, score] pair with a finite score, got [\"x\"]",
                e.getMessage());
        model.put("type", "WordLevel");
        Files.writeString(file, root.toString());
        e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                file
                                        + ": model type is \"WordLevel\"; accepted: \"WordPiece\","
                                        + " \"Unigram\", \"BPE\""),
                e.getMessage());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long[] flat(JsonNode rows) {
        List<Long> values = new ArrayList<>();
        rows.forEach(row -> row.forEach(v -> values.add(v.asLong())));
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
