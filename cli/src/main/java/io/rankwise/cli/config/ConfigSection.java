package io.rankwise.cli.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keys one YAML section may hold, in the order they are documented and written.
 *
 * @param name the section's name ({@code training}; for a nested section its own key, such as
 *     {@code lr_schedule}; empty for the top level)
 * @param description what the section configures, one line
 * @param keys its keys
 * @param moved keys the section used to have, each with the key (relative to the section) that took
 *     its place, e.g. {@code target_r -> options.target_r}: they are refused with an error that
 *     names the new key
 * @param movedNote why they moved and how the section is written now, appended to that error
 */
public record ConfigSection(
        String name,
        String description,
        List<ConfigKey> keys,
        Map<String, String> moved,
        String movedNote) {

    /** Copies the keys and the moved keys. */
    public ConfigSection {
        keys = List.copyOf(keys);
        moved = Collections.unmodifiableMap(new LinkedHashMap<>(moved));
        Objects.requireNonNull(movedNote, "movedNote");
    }

    /** A section without moved keys. */
    public ConfigSection(String name, String description, List<ConfigKey> keys) {
        this(name, description, keys, Map.of(), "");
    }

    /** The key called {@code name}, if the section has one. */
    public Optional<ConfigKey> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The key called {@code name}; the caller knows it exists. */
    ConfigKey require(String name) {
        return key(name)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "section " + this.name + " has no key " + name));
    }

    /** The key names, comma-separated, as listed in errors. */
    public String keyList() {
        return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }
}
