package io.rankwise.cli.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keys one YAML section may hold, in the order they are documented and written.
 *
 * @param name the section's name ({@code training}; for a nested section its own key, such as
 *     {@code lr_schedule}; empty for the top level)
 * @param description what the section configures, one line
 * @param keys its keys
 */
public record ConfigSection(String name, String description, List<ConfigKey> keys) {

    /** Copies the keys. */
    public ConfigSection {
        keys = List.copyOf(keys);
    }

    /** The key called {@code name}, if the section has one. */
    public Optional<ConfigKey> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The key called {@code name}; the caller knows it exists. */
    ConfigKey require(String name) {
        return key(name).orElseThrow(() -> new IllegalStateException("section " + this.name + " has no key " + name));
    }

    /** The key names, comma-separated, as listed in errors. */
    public String keyList() {
        return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }
}
