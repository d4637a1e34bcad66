package io.rankwise.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoublePredicate;

/**
 * Reads one YAML section against its {@link ConfigSection}: refuses unknown keys when created, then
 * hands out typed values, each checked, with the key's documented default when the key is absent or
 * null. Every error names the key's full path, the value and what is accepted.
 */
final class SectionReader {
    private static final YAMLMapper DEFAULTS = new YAMLMapper();
    private static final Map<String, JsonNode> PARSED_DEFAULTS = new ConcurrentHashMap<>();

    private final ObjectNode node;
    private final ConfigSection section;
    private final String path;

    /**
     * @param node the section's YAML (null, missing or YAML null: all defaults)
     * @param section its schema
     * @param path where it sits ({@code training.lr_schedule}; empty at the top level)
     */
    SectionReader(JsonNode node, ConfigSection section, String path) {
        this.section = section;
        this.path = path;
        if (node == null || node.isMissingNode() || node.isNull()) {
            this.node = JsonNodeFactory.instance.objectNode();
        } else if (node instanceof ObjectNode object) {
            this.node = object;
        } else if (path.isEmpty()) {
            throw Messages.badValue(
                    "the configuration", node, "a mapping of sections " + section.keyList());
        } else {
            throw Messages.badValue(path, node, "a section with keys " + section.keyList());
        }
        for (Iterator<String> names = this.node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (section.key(name).isEmpty()) {
                throw Messages.unknownKey(path, section, name);
            }
        }
    }

    /** This section's path. */
    String path() {
        return path;
    }

    /** The full path of {@code key}. */
    String path(String key) {
        return Messages.path(path, section.require(key).name());
    }

    /** Whether {@code key} was written (with a value other than null). */
    boolean given(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The value of {@code key}: as written, else its default. */
    JsonNode value(String key) {
        ConfigKey k = section.require(key);
        JsonNode v = node.get(key);
        if (v != null && !v.isNull()) {
            return v;
        }
        if (k.required()) {
            throw new ConfigException(path(key) + " is missing; accepted: " + k.accepted());
        }
        return parseDefault(k.defaultValue());
    }

    /** An error for {@code key}'s value, naming what the key accepts. */
    ConfigException bad(String key) {
        return Messages.badValue(path(key), value(key), section.require(key).accepted());
    }

    /**
     * An error for {@code key}'s value with a message more precise than the key's {@code accepted}.
     */
    ConfigException bad(String key, String accepted) {
        return Messages.badValue(path(key), value(key), accepted);
    }

    /** A scalar as text (numbers and booleans as written in canonical form), trimmed. */
    String text(String key) {
        JsonNode v = value(key);
        if (!v.isValueNode()) {
            throw bad(key);
        }
        return v.asText().trim();
    }

    /** Text that is not blank. */
    String nonBlank(String key) {
        String s = text(key);
        if (s.isEmpty()) {
            throw bad(key);
        }
        return s;
    }

    /**
     * A single folder name (see {@link RunConfig#isFolderName}), or empty: text that, resolved
     * under a folder, names a folder inside it and never a path out of it.
     */
    String folderName(String key) {
        String s = text(key);
        if (!s.isEmpty() && !RunConfig.isFolderName(s)) {
            throw bad(key);
        }
        return s;
    }

    /** One of {@code choices} (compared without case), returned in lower case. */
    String oneOf(String key, List<String> choices) {
        String s = text(key).toLowerCase(Locale.ROOT);
        if (!choices.contains(s)) {
            throw bad(key);
        }
        return s;
    }

    /** A whole number in [min, max]; quoted numbers are accepted, fractions are not. */
    long integer(String key, long min, long max) {
        JsonNode v = value(key);
        Long n = null;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.longValue();
        } else if (v.isTextual()) {
            try {
                n = Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (n == null || n < min || n > max) {
            throw bad(key);
        }
        return n;
    }

    /** A whole number in [min, max] that fits an int. */
    int intValue(String key, int min, int max) {
        return (int) integer(key, min, max);
    }

    /** A finite number for which {@code ok} holds; quoted numbers are accepted. */
    double number(String key, DoublePredicate ok) {
        JsonNode v = value(key);
        double d = Double.NaN;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (!Double.isFinite(d) || !ok.test(d)) {
            throw bad(key);
        }
        return d;
    }

    /** {@code true} or {@code false} (also quoted). */
    boolean bool(String key) {
        JsonNode v = value(key);
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            String s = v.asText().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
        }
        throw bad(key);
    }

    /**
     * A list of non-blank scalars as text. A single string is split at commas, so that {@code
     * query,value} means the same in YAML as on the command line.
     */
    List<String> strings(String key) {
        JsonNode v = value(key);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (String part : v.asText().split(",", -1)) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        }
        if (!v.isArray()) {
            throw bad(key);
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                throw Messages.badValue(
                        path(key) + "[" + i + "]", item, section.require(key).accepted());
            }
            out.add(item.asText().trim());
        }
        return List.copyOf(out);
    }

    /**
     * Plugin options: a mapping of names to scalars, in the order written, each as YAML typed it
     * ({@link Long}, {@link Double}, {@link Boolean}, or trimmed {@link String}); the plugin's
     * declared options then give each its type and check it.
     */
    Map<String, Object> options(String key) {
        JsonNode v = value(key);
        if (!v.isObject()) {
            throw bad(key);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode item = e.getValue();
            if (!item.isValueNode() || item.isNull()) {
                throw Messages.badValue(
                        path(key) + "." + e.getKey(), item, "a number, string or boolean");
            }
            out.put(e.getKey(), scalar(item));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object scalar(JsonNode item) {
        if (item.isBoolean()) {
            return item.booleanValue();
        }
        if (item.isIntegralNumber()) {
            // Beyond a long, the text: the option's parser names it as written.
            return item.canConvertToLong() ? (Object) item.longValue() : item.asText();
        }
        if (item.isNumber()) {
            return item.doubleValue();
        }
        return item.asText().trim();
    }

    /** A nested section's reader. */
    SectionReader section(String key) {
        ConfigKey k = section.require(key);
        return new SectionReader(node.get(key), Objects.requireNonNull(k.section()), path(key));
    }

    private static JsonNode parseDefault(String yaml) {
        return PARSED_DEFAULTS.computeIfAbsent(
                yaml,
                text -> {
                    try {
                        return DEFAULTS.readTree("v: " + text).get("v");
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "a documented default is not YAML: " + text, e);
                    }
                });
    }
}
