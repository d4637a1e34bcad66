package io.rankwise.models.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's WordPiece tokenization of single texts and text pairs into fixed-length model inputs, over
 * the Rust tokenizers library (through DJL) loaded from a local {@code tokenizer.json}.
 *
 * <p>Each row is {@code [CLS] a [SEP]} or {@code [CLS] a [SEP] b [SEP]}, truncated to {@link
 * #maxLength()} (pairs longest-first: the longer segment loses tokens first, and the special tokens
 * are kept) and padded with id 0 to exactly {@code maxLength}. Whatever truncation or padding the
 * tokenizer.json itself configures is overridden.
 *
 * <p>Holds native memory: close it.
 */
public final class BertTokenizer implements AutoCloseable {
    /** The shortest length that fits a pair's three special tokens and one token each side. */
    public static final int MIN_LENGTH = 3;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long padId;

    private BertTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
    }

    /**
     * Loads {@code tokenizerJson} (no network access), padding with id 0 (BERT's {@code [PAD]}).
     *
     * @param maxLength the length of every encoded row, at least {@value #MIN_LENGTH}
     */
    public static BertTokenizer fromFile(Path tokenizerJson, int maxLength) throws IOException {
        return fromFile(tokenizerJson, maxLength, 0);
    }

    /**
     * Loads {@code tokenizerJson} (no network access).
     *
     * @param maxLength the length of every encoded row, at least {@value #MIN_LENGTH}
     * @param padId the id that fills a row after its tokens: the model's {@code pad_token_id}
     *     (RoBERTa's is 1, and it numbers positions by it)
     */
    public static BertTokenizer fromFile(Path tokenizerJson, int maxLength, long padId)
            throws IOException {
        if (padId < 0) {
            throw new IllegalArgumentException("padId must be a token id >= 0, got " + padId);
        }
        if (maxLength < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "maxLength must be at least " + MIN_LENGTH + ", got " + maxLength);
        }
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new NoSuchFileException(
                    tokenizerJson.toString(), null, "tokenizer.json not found");
        }
        // Padding is done here rather than by the library so that every row has exactly maxLength
        // whatever the tokenizer.json says (MiniLM's pads to a fixed 128).
        Map<String, String> options =
                Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "true",
                        "padding", "false",
                        "maxLength", Integer.toString(maxLength),
                        "modelMaxLength", Integer.toString(maxLength));
        // Checked in Java first: the native library panics, aborting the JVM, on some files.
        TokenizerJson.validate(tokenizerJson);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
        } catch (RuntimeException e) {
            throw new WeightFormatException(
                    tokenizerJson, "not a tokenizer the library reads: " + e.getMessage(), e);
        }
        try {
            probe(tokenizer, maxLength);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw new WeightFormatException(
                    tokenizerJson, "the tokenizer fails on a test text: " + e.getMessage(), e);
        }
        return new BertTokenizer(tokenizer, maxLength, padId);
    }

    /**
     * Encodes texts with unknown characters, a pair and a text longer than {@code maxLength}
     * through the library's single-text calls, which throw on an error. The batch calls that {@link
     * #encode} uses panic instead (aborting the JVM), so a tokenizer that fails must fail here
     * first.
     */
    private static void probe(HuggingFaceTokenizer tokenizer, int maxLength) {
        String odd = "Hello, wörld! \u2603 \uD83D\uDE00 qzxqzxqzx 123";
        String longText = "the quick brown fox ".repeat(maxLength);
        tokenizer.encode(odd, true, false);
        tokenizer.encode("", true, false);
        tokenizer.encode(odd, longText, true, false);
        tokenizer.encode(longText, "", true, false);
    }

    /** The length of every encoded row. */
    public int maxLength() {
        return maxLength;
    }

    /** Encodes single texts: {@code [CLS] text [SEP]}, all token type 0. */
    public TokenizedBatch encode(List<String> texts) {
        texts.forEach(t -> Objects.requireNonNull(t, "text"));
        if (texts.isEmpty()) {
            return pad(new Encoding[0]);
        }
        return pad(tokenizer.batchEncode(texts));
    }

    /**
     * Encodes pairs {@code [CLS] first [SEP] second [SEP]}; the second segment and its [SEP] have
     * token type 1.
     */
    public TokenizedBatch encodePairs(List<String> first, List<String> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(
                    "pairs need as many second texts as first: "
                            + first.size()
                            + " vs "
                            + second.size());
        }
        if (first.isEmpty()) {
            return pad(new Encoding[0]);
        }
        PairList<String, String> pairs = new PairList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            pairs.add(
                    Objects.requireNonNull(first.get(i), "text"),
                    Objects.requireNonNull(second.get(i), "text"));
        }
        return pad(tokenizer.batchEncode(pairs));
    }

    /** The word pieces of a text, without special tokens, at most maxLength (for inspection). */
    public List<String> tokenize(String text) {
        return List.of(tokenizer.encode(text, false, false).getTokens());
    }

    /** The text of a row of ids, special tokens and padding dropped. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private TokenizedBatch pad(Encoding[] encodings) {
        int n = encodings.length;
        long[] ids = new long[Math.multiplyExact(n, maxLength)];
        java.util.Arrays.fill(ids, padId);
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int r = 0; r < n; r++) {
            long[] rowIds = encodings[r].getIds();
            if (rowIds.length > maxLength) {
                // The library was told to truncate; a longer row means it did not, and silently
                // cutting here could drop the final [SEP].
                throw new IllegalStateException(
                        "tokenizer returned "
                                + rowIds.length
                                + " tokens for row "
                                + r
                                + ", more than maxLength "
                                + maxLength);
            }
            System.arraycopy(rowIds, 0, ids, r * maxLength, rowIds.length);
            System.arraycopy(encodings[r].getTypeIds(), 0, types, r * maxLength, rowIds.length);
            System.arraycopy(
                    encodings[r].getAttentionMask(), 0, mask, r * maxLength, rowIds.length);
        }
        return new TokenizedBatch(n, maxLength, ids, mask, types);
    }
}
