package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.OPTIONS;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin chosen by name with its options: the {@code optimizer} and {@code metric} sections.
 * Neither the name nor the options are checked here: the plugin registry knows which plugins
 * were discovered, and each plugin checks its own options, naming them.
 *
 * @param name the plugin's name
 * @param options its options as text, in the order written ({@code ess: auto} stands for the
 *     training-set size)
 */
public record PluginConfig(String name, Map<String, String> options) {

    /** The keys of {@code optimizer}. */
    public static final ConfigSection OPTIMIZER = new ConfigSection("optimizer", "the optimizer plugin and its options", List.of(
            ConfigKey.of("name", STRING, "an optimizer plugin name (adam, ivon, ...; rankwise plugins lists them)", "adam",
                    "the optimizer"),
            ConfigKey.of("options", OPTIONS, "name: value pairs the plugin accepts", "{}",
                    "passed to the plugin, which checks them (e.g. lr, ess, hess_init); ess: auto = the training-set size")));

    /** The keys of {@code metric}. */
    public static final ConfigSection METRIC = new ConfigSection("metric", "the importance metric plugin and its options", List.of(
            ConfigKey.of("name", STRING, "an importance-metric plugin name (sensitivity, snr, magnitude, variance, snr-abs,"
                    + " mean-abs, ...)", "sensitivity", "the importance score that decides which triplets keep their rank"),
            ConfigKey.of("options", OPTIONS, "name: value pairs the plugin accepts", "{}",
                    "passed to the plugin, which checks them (e.g. beta1, beta2 of sensitivity)")));

    /** Keeps a read-only copy of the options in their order. */
    public PluginConfig {
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static PluginConfig read(SectionReader r) {
        return new PluginConfig(r.nonBlank("name"), r.options("options"));
    }

    void write(ObjectNode out) {
        out.put("name", name);
        ObjectNode o = out.putObject("options");
        options.forEach(o::put);
    }

    /**
     * This plugin with {@code overrides} laid over its options, when {@code other} names this
     * same plugin; else {@code other} alone, because another plugin's options would be refused.
     */
    PluginConfig overriddenBy(String otherName, Map<String, String> overrides) {
        if (!otherName.equals(name)) {
            return new PluginConfig(otherName, overrides);
        }
        Map<String, String> merged = new LinkedHashMap<>(options);
        merged.putAll(overrides);
        return new PluginConfig(name, merged);
    }
}
