package io.rankwise.models.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankwise.models.weights.JsonFiles;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks a {@code tokenizer.json} in Java before the native tokenizers library sees it: the Rust
 * library panics on some files it accepts (a WordPiece vocabulary without its unknown token: the
 * first word outside the vocabulary panics inside a batch encode), and a panic in native code
 * aborts the JVM instead of throwing.
 *
 * <p>Checked: UTF-8 JSON of at most {@value #MAX_BYTES} bytes; a {@code model} of type {@code
 * WordPiece} (BERT's) with a non-empty {@code vocab} of non-negative integer ids and an {@code
 * unk_token} in it, of type {@code Unigram} (SentencePiece, DeBERTa-v3's) with a non-empty list of
 * [piece, score] pairs and an {@code unk_id} into it, or of type {@code BPE} (RoBERTa's) with a
 * non-empty {@code vocab} of ids, a list of {@code merges} and an {@code unk_token} that is null or
 * in the vocabulary; {@code added_tokens} entries with an id and content; the pipeline's parts
 * (normalizer, pre_tokenizer, post_processor, decoder, truncation, padding) objects or null.
 */
public final class TokenizerJson {
    /** The largest tokenizer.json read: 20 times that of a 250,000-token vocabulary. */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    /** The tokenizer models accepted, as {@code model.type} names them. */
    private static final java.util.List<String> MODELS =
            java.util.List.of("WordPiece", "Unigram", "BPE");

    private static final String[] PARTS = {
        "normalizer", "pre_tokenizer", "post_processor", "decoder", "truncation", "padding"
    };

    private TokenizerJson() {}

    /**
     * Checks {@code file}.
     *
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws WeightFormatException naming the file and what is wrong
     */
    public static void validate(Path file) throws IOException {
        JsonNode root = JsonFiles.read(file, MAX_BYTES);
        if (!root.isObject()) {
            throw new WeightFormatException(file, "tokenizer.json must hold a JSON object");
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new WeightFormatException(file, "has no \"model\" object");
        }
        JsonNode type = model.get("type");
        String kind = type == null || !type.isTextual() ? null : type.asText();
        if (kind == null || !MODELS.contains(kind)) {
            throw new WeightFormatException(
                    file,
                    "model type is "
                            + type
                            + "; accepted: "
                            + String.join(", ", MODELS.stream().map(m -> '"' + m + '"').toList())
                            + " (BERT's WordPiece, the SentencePiece Unigram of DeBERTa-v3, and"
                            + " BPE as RoBERTa's byte-level tokenizer uses it)");
        }
        switch (kind) {
            case "WordPiece" -> validateWordPiece(file, model);
            case "Unigram" -> validateUnigram(file, model);
            default -> validateBpe(file, model);
        }
        JsonNode added = root.get("added_tokens");
        if (added != null && !added.isNull()) {
            if (!added.isArray()) {
                throw new WeightFormatException(
                        file, "added_tokens must be a list, got " + added.getNodeType());
            }
            for (int i = 0; i < added.size(); i++) {
                JsonNode t = added.get(i);
                if (!t.isObject()
                        || !isId(t.get("id"))
                        || t.get("content") == null
                        || !t.get("content").isTextual()
                        || t.get("content").asText().isEmpty()) {
                    throw new WeightFormatException(
                            file,
                            "added_tokens["
                                    + i
                                    + "] must be an object with a non-negative integer id and a"
                                    + " non-empty content string, got "
                                    + t);
                }
            }
        }
        for (String part : PARTS) {
            requireOptional(file, root, part, JsonNode::isObject, "an object or null");
        }
    }

    /**
     * WordPiece: a non-empty vocabulary of token → id, and the unknown token in it (the library
     * panics inside a batch encode on the first word outside a vocabulary without it).
     */
    private static void validateWordPiece(Path file, JsonNode model) throws WeightFormatException {
        JsonNode vocab = idVocabulary(file, model);
        JsonNode unk = model.get("unk_token");
        String unkToken = unk == null ? "[UNK]" : unk.isTextual() ? unk.asText() : null;
        if (unkToken == null) {
            throw new WeightFormatException(file, "model.unk_token must be a string, got " + unk);
        }
        if (!vocab.has(unkToken)) {
            throw new WeightFormatException(
                    file,
                    "model.unk_token '"
                            + unkToken
                            + "' is not in the vocabulary; every word outside it would fail");
        }
        requireOptional(file, model, "continuing_subword_prefix", JsonNode::isTextual, "a string");
        requireOptional(
                file,
                model,
                "max_input_chars_per_word",
                TokenizerJson::isId,
                "a non-negative integer");
    }

    /**
     * Unigram (SentencePiece, as DeBERTa-v3's tokenizer): a non-empty list of [piece, score] pairs,
     * and {@code unk_id} an index into it, since a character no piece covers is encoded as the
     * unknown piece and fails without one.
     */
    private static void validateUnigram(Path file, JsonNode model) throws WeightFormatException {
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isArray() || vocab.isEmpty()) {
            throw new WeightFormatException(
                    file,
                    "model.vocab must be a non-empty list of [piece, score] pairs, got "
                            + (vocab == null
                                    ? "nothing"
                                    : vocab.isArray()
                                            ? "an empty vocabulary"
                                            : vocab.getNodeType()));
        }
        for (int i = 0; i < vocab.size(); i++) {
            JsonNode e = vocab.get(i);
            if (!e.isArray()
                    || e.size() != 2
                    || !e.get(0).isTextual()
                    || !e.get(1).isNumber()
                    || !Double.isFinite(e.get(1).doubleValue())) {
                throw new WeightFormatException(
                        file,
                        "model.vocab["
                                + i
                                + "] must be a [piece, score] pair with a finite score, got "
                                + e);
            }
        }
        JsonNode unk = model.get("unk_id");
        if (!isId(unk) || unk.intValue() >= vocab.size()) {
            throw new WeightFormatException(
                    file,
                    "model.unk_id is "
                            + unk
                            + "; accepted: an index into model.vocab (0 to "
                            + (vocab.size() - 1)
                            + "), without which every text with a character outside the"
                            + " vocabulary would fail");
        }
        requireOptional(file, model, "byte_fallback", JsonNode::isBoolean, "true or false");
    }

    /**
     * BPE: a non-empty vocabulary of token → id, merges as {@code "a b"} strings or {@code ["a",
     * "b"]} pairs, and an unknown token that is null or in the vocabulary.
     */
    private static void validateBpe(Path file, JsonNode model) throws WeightFormatException {
        JsonNode vocab = idVocabulary(file, model);
        JsonNode merges = model.get("merges");
        if (merges == null || !merges.isArray()) {
            throw new WeightFormatException(
                    file,
                    "model.merges must be a list, got "
                            + (merges == null ? "nothing" : merges.getNodeType()));
        }
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            boolean pair =
                    m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual();
            if (!pair && !(m.isTextual() && m.asText().split(" ", -1).length == 2)) {
                throw new WeightFormatException(
                        file,
                        "model.merges[" + i + "] must be \"a b\" or [\"a\", \"b\"], got " + m);
            }
        }
        JsonNode unk = model.get("unk_token");
        if (unk != null && !unk.isNull() && !(unk.isTextual() && vocab.has(unk.asText()))) {
            throw new WeightFormatException(
                    file,
                    "model.unk_token is " + unk + "; accepted: null or a token in model.vocab");
        }
    }

    /** WordPiece's and BPE's vocabulary: a non-empty object of token → non-negative id. */
    private static JsonNode idVocabulary(Path file, JsonNode model) throws WeightFormatException {
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject() || vocab.isEmpty()) {
            throw new WeightFormatException(
                    file,
                    "model.vocab must be a non-empty object of token → id, got "
                            + (vocab == null
                                    ? "nothing"
                                    : vocab.isObject()
                                            ? "an empty vocabulary"
                                            : vocab.getNodeType()));
        }
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            if (!isId(e.getValue())) {
                throw new WeightFormatException(
                        file,
                        "model.vocab['"
                                + e.getKey()
                                + "'] must be a non-negative integer id, got "
                                + e.getValue());
            }
        }
        return vocab;
    }

    private static boolean isId(JsonNode v) {
        return v != null && v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0;
    }

    private static void requireOptional(
            Path file,
            JsonNode parent,
            String key,
            java.util.function.Predicate<JsonNode> ok,
            String what)
            throws WeightFormatException {
        JsonNode v = parent.get(key);
        if (v != null && !v.isNull() && !ok.test(v)) {
            throw new WeightFormatException(file, key + " must be " + what + ", got " + v);
        }
    }
}
