package io.rankwise.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads the fields of a parsed Hugging Face {@code config.json}, with messages that name the key,
 * the value and what is accepted; shared by the families' configs so that each one reports a bad
 * field in the same words.
 */
public final class ConfigFields {
    private ConfigFields() {}

    /**
     * Reads the {@code config.json} file and parses it with {@code parse}, a family's reader of the
     * parsed fields; a field it refuses becomes a {@link WeightFormatException} that names the
     * file.
     *
     * @throws IOException if the file cannot be read or is not JSON
     */
    public static <T> T readFile(Path configJson, Function<JsonNode, T> parse) throws IOException {
        JsonNode root = JsonFiles.read(configJson, JsonFiles.MAX_CONFIG_BYTES);
        try {
            return parse.apply(root);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(configJson, e.getMessage(), e);
        }
    }

    /**
     * The integer field {@code key}.
     *
     * @throws IllegalArgumentException if it is absent or not an integer that fits an int
     */
    public static int requiredInt(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("config.json lacks the integer field '" + key + "'");
        }
        return v.asInt();
    }

    /**
     * The integer field {@code key}, or {@code fallback} when it is absent.
     *
     * @throws IllegalArgumentException if it is present and not an integer that fits an int
     */
    public static int optionalInt(JsonNode root, String key, int fallback) {
        JsonNode v = root.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(
                    "config.json field '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    /**
     * The boolean field {@code key}, or {@code fallback} when it is absent.
     *
     * @throws IllegalArgumentException if it is present and not {@code true} or {@code false}
     */
    public static boolean optionalBoolean(JsonNode root, String key, boolean fallback) {
        JsonNode v = root.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(
                    "config.json field '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /**
     * The number field {@code key}, or {@code fallback} when it is absent.
     *
     * @throws IllegalArgumentException if it is present and not a number
     */
    public static double optionalDouble(JsonNode root, String key, double fallback) {
        JsonNode v = root.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(
                    "config.json field '" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    /**
     * The string field {@code key}, or {@code fallback} when it is absent.
     *
     * @throws IllegalArgumentException if it is present and not a string
     */
    public static String optionalString(JsonNode root, String key, String fallback) {
        JsonNode v = root.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(
                    "config.json field '" + key + "' must be a string, got " + v);
        }
        return v.asText();
    }

    /** Refuses a value below 1, naming the key. */
    public static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /**
     * Refuses a matrix of {@code rows} × {@code columns} that one Java array cannot hold, naming
     * the key.
     */
    public static void requireArray(String key, long rows, String columnsKey, long columns) {
        if (rows * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    key
                            + " "
                            + rows
                            + " × "
                            + columnsKey
                            + " "
                            + columns
                            + " is more elements than one weight matrix can hold");
        }
    }
}
