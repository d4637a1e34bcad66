package io.rankwise.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --set path=value} overrides, applied to the YAML tree before it is mapped, so that an
 * override is checked exactly as the same value in the file would be. The key's kind decides how
 * the text becomes a value: numbers and booleans where the key takes them (text that does not parse
 * is kept, and the mapping names it), comma-separated lists for list keys, and {@code null} (or
 * {@code ~}) to remove the key so that its default applies; a plugin's whole options map is cleared
 * with {@code optimizer.options=null} (or {@code {}}).
 */
final class Overrides {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Overrides() {}

    /** Applies {@code sets} in order (a later one wins) to {@code root}. */
    static void apply(ObjectNode root, List<String> sets) {
        for (String set : sets) {
            apply(root, set);
        }
    }

    private static void apply(ObjectNode root, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(
                    "--set " + set + ": expected path=value, e.g. --set training.batch_size=32");
        }
        String path = set.substring(0, eq).trim();
        String text = set.substring(eq + 1).trim();
        String[] parts = path.split("\\.", -1);
        ObjectNode node = root;
        ConfigSection section = RankwiseConfig.SECTION;
        String parent = "";
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            Optional<ConfigKey> found = section.key(name);
            if (found.isEmpty()) {
                throw new ConfigException(
                        "--set "
                                + set
                                + ": "
                                + Messages.unknownKey(parent, section, name).getMessage());
            }
            ConfigKey key = found.get();
            String here = Messages.path(parent, name);
            boolean last = i == parts.length - 1;
            switch (key.kind()) {
                case SECTION -> {
                    if (last) {
                        throw new ConfigException(
                                "--set "
                                        + set
                                        + ": "
                                        + here
                                        + " is a section; set one of its keys: "
                                        + keyPaths(here, key.section()));
                    }
                    node = child(node, name, here);
                    section = key.section();
                    parent = here;
                }
                case OPTIONS -> {
                    if (last && (isNull(text) || text.equals("{}"))) {
                        // Switching plugins (--set optimizer.name=adam) needs the other plugin's
                        // options gone.
                        node.remove(name);
                        return;
                    }
                    if (i != parts.length - 2 || parts[i + 1].isBlank()) {
                        throw new ConfigException(
                                "--set "
                                        + set
                                        + ": "
                                        + here
                                        + " holds plugin options; set one as "
                                        + here
                                        + ".<option>=<value>, e.g. "
                                        + here
                                        + ".lr=0.1, or clear them all with "
                                        + here
                                        + "=null");
                    }
                    ObjectNode options = child(node, name, here);
                    String option = parts[i + 1];
                    if (isNull(text)) {
                        options.remove(option);
                    } else {
                        options.put(option, text);
                    }
                    return;
                }
                default -> {
                    if (!last) {
                        throw new ConfigException(
                                "--set "
                                        + set
                                        + ": "
                                        + here
                                        + " is a single value, it has no keys below it");
                    }
                    if (isNull(text)) {
                        node.remove(name);
                    } else {
                        node.set(name, coerce(key.kind(), text));
                    }
                    return;
                }
            }
        }
    }

    /** The text as the value a key of {@code kind} takes. */
    static JsonNode coerce(ValueKind kind, String text) {
        return switch (kind) {
            case INTEGER -> {
                try {
                    yield LongNode.valueOf(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    yield TextNode.valueOf(text);
                }
            }
            case NUMBER -> {
                try {
                    yield DoubleNode.valueOf(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    yield TextNode.valueOf(text);
                }
            }
            case BOOLEAN ->
                    switch (text.toLowerCase(Locale.ROOT)) {
                        case "true" -> BooleanNode.TRUE;
                        case "false" -> BooleanNode.FALSE;
                        default -> TextNode.valueOf(text);
                    };
            case LIST, SECTION_LIST -> list(text, false);
            case COUNT_OR_LIST ->
                    text.contains(",") || text.startsWith("[")
                            ? list(text, true)
                            : coerce(ValueKind.INTEGER, text);
            default -> TextNode.valueOf(text);
        };
    }

    /**
     * {@code a,b,c} (brackets allowed) as a list; with {@code numbers}, whole numbers become
     * numbers.
     */
    private static ArrayNode list(String text, boolean numbers) {
        String inner =
                text.startsWith("[") && text.endsWith("]")
                        ? text.substring(1, text.length() - 1)
                        : text;
        ArrayNode out = NODES.arrayNode();
        for (String part : inner.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            if (numbers) {
                out.add(coerce(ValueKind.INTEGER, item));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    private static boolean isNull(String text) {
        return text.equals("null") || text.equals("~");
    }

    /**
     * The object at {@code name}, created if absent; a scalar there is an error rather than
     * silently replaced.
     */
    private static ObjectNode child(ObjectNode node, String name, String path) {
        JsonNode existing = node.get(name);
        if (existing == null || existing.isNull()) {
            return node.putObject(name);
        }
        if (existing instanceof ObjectNode object) {
            return object;
        }
        throw Messages.badValue(path, existing, "a section");
    }

    private static String keyPaths(String parent, ConfigSection section) {
        return String.join(
                ", ", section.keys().stream().map(k -> Messages.path(parent, k.name())).toList());
    }
}
