package io.rankwise.cli.config;

import java.util.Objects;

/**
 * One documented key of a configuration section.
 *
 * @param name the key as written in YAML (snake_case)
 * @param kind the shape of its value
 * @param accepted what values are accepted, as shown in errors and in the documentation ("integer
 *     >= 1", "cls, mean")
 * @param defaultValue the default as YAML text ({@code 16}, {@code ''}, {@code [query, key]}); the
 *     mapping parses this text when the key is absent, so the documented default is the default in
 *     force. Null for a required key, and for a nested section (whose keys carry their own
 *     defaults).
 * @param description what the key means, one line
 * @param section the nested section's keys, for {@link ValueKind#SECTION} and {@link
 *     ValueKind#SECTION_LIST}; null otherwise
 */
public record ConfigKey(
        String name,
        ValueKind kind,
        String accepted,
        String defaultValue,
        String description,
        ConfigSection section) {

    /**
     * Checks that exactly the nested kinds have a section, and that a section has no default of its
     * own.
     */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(description, "description");
        boolean nested = kind == ValueKind.SECTION || kind == ValueKind.SECTION_LIST;
        if (nested != (section != null)) {
            throw new IllegalArgumentException(
                    "key " + name + ": a nested section goes with kind SECTION or SECTION_LIST");
        }
        if (kind == ValueKind.SECTION && defaultValue != null) {
            throw new IllegalArgumentException(
                    "section " + name + " takes its defaults from its keys");
        }
    }

    /** A leaf key. */
    public static ConfigKey of(
            String name, ValueKind kind, String accepted, String defaultValue, String description) {
        return new ConfigKey(name, kind, accepted, defaultValue, description, null);
    }

    /** Whether the key must be given (it has no default). */
    public boolean required() {
        return defaultValue == null && kind != ValueKind.SECTION;
    }

    /** A nested section. */
    public static ConfigKey section(ConfigSection section) {
        return new ConfigKey(
                section.name(),
                ValueKind.SECTION,
                "a section",
                null,
                section.description(),
                section);
    }
}
