package io.rankwise.api.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A plugin's options, parsed against its declared {@link Option}s: unknown keys are refused with
 * the list of known ones, every value is parsed to its option's type and checked against its range,
 * and left-out options take their defaults (a required option must be given). Read them typed with
 * {@link #get(Option)}.
 *
 * <p>Two {@code Options} are equal when they belong to the same plugin and hold the same typed
 * values, however the values were written ({@code 10}, {@code 10.0} and {@code "10"} for a number).
 */
public final class Options {
    private final String plugin;
    private final Map<String, Option<?>> declared;
    private final Map<String, Object> values;

    private Options(String plugin, Map<String, Option<?>> declared, Map<String, Object> values) {
        this.plugin = plugin;
        this.declared = declared;
        this.values = values;
    }

    /**
     * Parses {@code given} (values as {@link Number}, {@link Boolean} or {@link String}, e.g. YAML
     * scalars or command-line text; a null value counts as left out) against {@code declared} and
     * fills in defaults.
     *
     * @param plugin the plugin's name, for messages
     * @throws IllegalArgumentException for a key that no option declares (listing the known ones),
     *     a value its option does not accept (naming the option, the value and what is accepted),
     *     or a required option left out
     */
    public static Options parse(
            String plugin, List<? extends Option<?>> declared, Map<String, ?> given) {
        Objects.requireNonNull(plugin, "plugin");
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : declared) {
            if (byName.put(o.name(), o) != null) {
                throw new IllegalArgumentException(
                        plugin + ": option '" + o.name() + "' is declared twice");
            }
        }
        // All unknown keys at once: after switching plugins, the previous plugin's options are all
        // wrong together.
        List<String> unknown =
                given.keySet().stream()
                        .filter(k -> !byName.containsKey(k))
                        .map(k -> "'" + k + "'")
                        .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    plugin
                            + ": unknown option"
                            + (unknown.size() > 1 ? "s " : " ")
                            + String.join(", ", unknown)
                            + "; "
                            + (byName.isEmpty()
                                    ? plugin + " takes no options"
                                    : "known options: " + String.join(", ", byName.keySet())));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Option<?> o : byName.values()) {
            Object v = given.get(o.name());
            if (v != null) {
                values.put(o.name(), o.parse(plugin, v));
            } else if (o.defaultValue() != null) {
                values.put(o.name(), o.defaultValue());
            } else if (o.required()) {
                throw new IllegalArgumentException(
                        plugin
                                + ": option '"
                                + o.name()
                                + "' is required ("
                                + o.doc()
                                + "); accepted: "
                                + o.accepted());
            }
        }
        return new Options(
                plugin, Collections.unmodifiableMap(byName), Collections.unmodifiableMap(values));
    }

    /**
     * {@link #parse(String, List, Map)} with {@code plugin}'s name and declared {@link
     * Plugin#options()}.
     */
    public static Options parse(Plugin plugin, Map<String, ?> given) {
        return parse(plugin.name(), plugin.options(), given);
    }

    /** {@code plugin}'s defaults. @throws IllegalArgumentException if it has a required option */
    public static Options defaults(Plugin plugin) {
        return parse(plugin, Map.of());
    }

    /** The plugin these options belong to. */
    public String plugin() {
        return plugin;
    }

    /**
     * The value of {@code option}: as given, else its default.
     *
     * @throws IllegalStateException if the plugin does not declare {@code option}, or declares it
     *     optional and it was left out (use {@link #find})
     */
    public <T> T get(Option<T> option) {
        return find(option)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        plugin
                                                + ": option '"
                                                + option.name()
                                                + "' was left out ("
                                                + option.unset()
                                                + "); read it with find()"));
    }

    /**
     * The value of {@code option}, empty when it is optional without a default and was left out.
     *
     * @throws IllegalStateException if the plugin does not declare {@code option}
     */
    public <T> Optional<T> find(Option<T> option) {
        if (!option.equals(declared.get(option.name()))) {
            throw new IllegalStateException(
                    plugin
                            + ": option '"
                            + option.name()
                            + "' is not declared as "
                            + option
                            + "; declared: "
                            + declared.keySet());
        }
        return Optional.ofNullable(values.get(option.name())).map(option.valueType()::cast);
    }

    /**
     * Every value in force, typed, keyed by option name in the order of declaration: the given ones
     * and the defaults (an optional option left out is absent). This is the canonical form: equal
     * maps mean equal options, and {@code parse} of it gives equal options back.
     */
    public Map<String, Object> values() {
        return values;
    }

    /** The declared options, in order. */
    public List<Option<?>> declared() {
        return List.copyOf(declared.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other
                && plugin.equals(other.plugin)
                && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(plugin, values);
    }

    /** {@code plugin{name=value, ...}}. */
    @Override
    public String toString() {
        return plugin
                + values.entrySet().stream()
                        .map(e -> e.getKey() + "=" + Option.show(e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
    }
}
