package io.rankwise.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The wording of configuration errors, shared by the mapping and the {@code --set} overrides. */
final class Messages {
    private Messages() {}

    /** {@code parent.key}, or {@code key} at the top level. */
    static String path(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /**
     * An unknown key: names it with its path, suggests a near miss (a typo, or camelCase for
     * snake_case) and lists the keys the section does have.
     */
    static ConfigException unknownKey(String parent, ConfigSection section, String key) {
        String movedTo = section.moved().get(key);
        if (movedTo != null) {
            // A key the section used to have: say where it went rather than leave the user to guess
            // from the list.
            return new ConfigException(
                    path(parent, key)
                            + " has moved to "
                            + path(parent, movedTo)
                            + "; "
                            + section.movedNote());
        }
        String hint = suggestion(section, key);
        String didYouMean = hint == null ? "" : " (did you mean " + hint + "?)";
        if (parent.isEmpty()) {
            return new ConfigException(
                    "unknown section "
                            + key
                            + didYouMean
                            + "; valid sections: "
                            + section.keyList());
        }
        return new ConfigException(
                "unknown key "
                        + path(parent, key)
                        + didYouMean
                        + "; valid keys of "
                        + parent
                        + ": "
                        + section.keyList());
    }

    /** {@code path is value; accepted: what}. */
    static ConfigException badValue(String path, JsonNode value, String accepted) {
        return new ConfigException(path + " is " + show(value) + "; accepted: " + accepted);
    }

    /**
     * A value as the user wrote it: scalars bare, the empty string as '', lists and maps as JSON.
     */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "null";
        }
        if (value.isContainerNode()) {
            return value.toString();
        }
        String text = value.asText();
        return text.isEmpty() ? "''" : text;
    }

    /** The section's key closest to {@code key}, when it is close enough to be a slip. */
    private static String suggestion(ConfigSection section, String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey k : section.keys()) {
            if (normalised(k.name()).equals(normalised(key))) {
                return k.name();
            }
            int d = distance(k.name(), key.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        // Two edits catch most typos; more would suggest unrelated keys for short names.
        return bestDistance <= Math.min(2, key.length() / 3) ? best : null;
    }

    private static String normalised(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
