package io.rankwise.models.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankwise.models.weights.EmbeddedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MiniLM's uncased WordPiece vocabulary: [CLS] 101, [SEP] 102, [PAD] 0. */
class BertTokenizerTest {
    private static Path tokenizerJson;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizerJson = EmbeddedModels.miniLmL6().tokenizerJson();
        tokenizer = BertTokenizer.fromFile(tokenizerJson, 8);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesASentenceWithClsSepAndPadding() {
        TokenizedBatch b = tokenizer.encode(List.of("hello world"));
        assertArrayEquals(new long[] {1, 8}, b.shape());
        // Ids from the bert-base-uncased vocabulary: hello = 7592, world = 2088.
        assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0, 0, 0}, b.inputIds(0));
        assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, b.attentionMask(0));
        assertArrayEquals(new long[8], b.tokenTypeIds(0));
        assertEquals(4, b.length(0));
        assertEquals(List.of("hello", ",", "world", "!"), tokenizer.tokenize("Hello, World!"));
        assertEquals("hello world", tokenizer.decode(b.inputIds(0)));
    }

    @Test
    void truncatesLongTextsKeepingTheFinalSep() {
        TokenizedBatch b =
                tokenizer.encode(List.of("hello world how are you doing today my friend", ""));
        assertArrayEquals(new long[] {101, 7592, 2088, 2129, 2024, 2017, 2725, 102}, b.inputIds(0));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, b.attentionMask(0));
        assertArrayEquals(new long[] {101, 102, 0, 0, 0, 0, 0, 0}, b.inputIds(1));
        assertEquals(2, b.length(1));
    }

    @Test
    void pairsGetTokenTypeOneForTheSecondSegment() {
        TokenizedBatch b =
                tokenizer.encodePairs(List.of("hi", "a b c d e f g"), List.of("there", "x"));
        assertArrayEquals(new long[] {101, 7632, 102, 2045, 102, 0, 0, 0}, b.inputIds(0));
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 0, 0, 0}, b.tokenTypeIds(0));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 0, 0}, b.attentionMask(0));
        // Longest-first: the long first segment is cut, the short second one kept whole.
        assertArrayEquals(new long[] {101, 1037, 1038, 1039, 1040, 102, 1060, 102}, b.inputIds(1));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 1, 1}, b.tokenTypeIds(1));
    }

    @Test
    void overridesTheFixedPaddingOfTheTokenizerJson() throws IOException {
        // MiniLM's tokenizer.json pads to 128; rows must have the length asked for instead.
        try (BertTokenizer wide = BertTokenizer.fromFile(tokenizerJson, 200)) {
            TokenizedBatch b = wide.encode(List.of("hello world", "x ".repeat(300)));
            assertEquals(200, b.sequenceLength());
            assertEquals(4, b.length(0));
            assertEquals(200, b.length(1));
            assertEquals(102, b.inputIds(1)[199]);
            long[][] ids = b.inputIds2d();
            assertEquals(2, ids.length);
            assertEquals(7592, ids[0][1]);
        }
    }

    @Test
    void checksArguments() {
        assertThrows(
                IllegalArgumentException.class, () -> BertTokenizer.fromFile(tokenizerJson, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> tokenizer.encodePairs(List.of("a"), List.of()));
        assertThrows(
                java.nio.file.NoSuchFileException.class,
                () -> BertTokenizer.fromFile(Path.of("/nonexistent/tokenizer.json"), 8));
        assertEquals(0, tokenizer.encode(List.of()).batchSize());
    }
}
