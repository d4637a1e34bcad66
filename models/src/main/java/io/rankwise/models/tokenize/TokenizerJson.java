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
 * unk_token} in it; {@code added_tokens} entries with an id and content; the pipeline's parts
 * (normalizer, pre_tokenizer, post_processor, decoder, truncation, padding) objects or null.
 */
public final class TokenizerJson {
    /** The largest tokenizer.json read: 20 times that of a 250,000-token vocabulary. */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

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
        if (type == null || !"WordPiece".equals(type.asText())) {
            throw new WeightFormatException(
                    file,
                    "model type is "
                            + type
                            + "; BERT's tokenizer is \"WordPiece\" (other tokenizers are not"
                            + " supported)");
        }
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
