package io.rankwise.api.spi;

import java.util.Objects;

/**
 * One option a plugin accepts: its name, type, default and a one-line description, as listed by
 * {@code rankwise plugins}.
 *
 * @param name the key, e.g. {@code lr}
 * @param type the accepted type, e.g. {@code double}, {@code int}, {@code boolean}, or an enumeration
 *     such as {@code price|gradsq}
 * @param defaultValue the default, as text; null when the option is required
 * @param description what it means
 */
public record OptionSpec(String name, String type, String defaultValue, String description) {
    /** Checks that the name and type are present. */
    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }
}
