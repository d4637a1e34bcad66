package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.OPTIONS;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import io.rankwise.api.spi.Plugin;
import io.rankwise.training.spec.RunSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A plugin chosen by name with its options: the {@code optimizer}, {@code metric} and {@code
 * allocator} sections. The name must be a discovered plugin of the section's kind, and the options
 * are parsed against that plugin's declared {@link Option}s when the configuration is read: unknown
 * options and bad values are refused there, naming the section, and every value gets its declared
 * type, so that {@code lr: 10.0} in a file and {@code --set optimizer.options.lr=10} are the same
 * configuration.
 *
 * @param name the plugin's name
 * @param options every option of the plugin, typed ({@link Integer}, {@link Long}, {@link Double},
 *     {@link Boolean}, {@link String}), defaults filled in, in the plugin's order of declaration;
 *     an optimizer's {@code ess} may be {@code auto} (the training-set size)
 */
public record PluginConfig(String name, Map<String, Object> options) {

    /** The plugin sections: which kind of plugin each names, and where the registry keeps them. */
    public enum Kind {
        /** {@code optimizer}. */
        OPTIMIZER("optimizer", "an optimizer plugin name", Plugins::optimizers),
        /** {@code metric}. */
        METRIC("metric", "an importance-metric plugin name", Plugins::metrics),
        /** {@code allocator}. */
        ALLOCATOR("allocator", "a rank-allocator plugin name", Plugins::allocators);

        private final String section;
        private final String accepted;
        private final Function<Plugins, PluginRegistry<? extends Plugin>> registry;

        Kind(
                String section,
                String accepted,
                Function<Plugins, PluginRegistry<? extends Plugin>> registry) {
            this.section = section;
            this.accepted = accepted;
            this.registry = registry;
        }

        /** The section's name. */
        public String section() {
            return section;
        }

        /** This kind's plugins among {@code plugins}. */
        public PluginRegistry<? extends Plugin> registry(Plugins plugins) {
            return registry.apply(plugins);
        }

        /**
         * What an option of this kind accepts in a configuration: the declaration's range, and for
         * an optimizer's {@code ess} also {@code auto}.
         */
        public String accepted(Option<?> option) {
            return takesAuto(option.name())
                    ? option.accepted() + ", or auto (the training-set size)"
                    : option.accepted();
        }

        /** The section of this kind, if {@code section} names one. */
        public static java.util.Optional<Kind> of(String section) {
            for (Kind k : values()) {
                if (k.section.equals(section)) {
                    return java.util.Optional.of(k);
                }
            }
            return java.util.Optional.empty();
        }

        /**
         * Whether {@code option} may be {@code auto}, resolved when the run starts ({@link
         * RunSpec#AUTO}).
         */
        boolean takesAuto(String option) {
            return this == OPTIMIZER && option.equals(RunSpec.ESS);
        }
    }

    /** The keys of {@code optimizer}. */
    public static final ConfigSection OPTIMIZER =
            new ConfigSection(
                    "optimizer",
                    "the optimizer plugin and its options",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    "an optimizer plugin name (adam, ivon, ...; rankwise plugins lists them)",
                                    "adam",
                                    "the optimizer"),
                            ConfigKey.of(
                                    "options",
                                    OPTIONS,
                                    "name: value pairs the plugin declares (below)",
                                    "{}",
                                    "the plugin's options; left out: the plugin's defaults; ess: auto = the training-set size")));

    /** The keys of {@code metric}. */
    public static final ConfigSection METRIC =
            new ConfigSection(
                    "metric",
                    "the importance metric plugin and its options (adapter.kind adalora; a lora run computes no importance"
                            + " and ignores this section)",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    "an importance-metric plugin name (sensitivity, snr, magnitude, variance, snr-abs,"
                                            + " mean-abs, ...)",
                                    "sensitivity",
                                    "the importance score that decides which triplets keep their rank"),
                            ConfigKey.of(
                                    "options",
                                    OPTIONS,
                                    "name: value pairs the plugin declares (below)",
                                    "{}",
                                    "the plugin's options; left out: the plugin's defaults")));

    /**
     * The keys of {@code allocator}. Its schedule keys used to sit in the section itself ({@code
     * allocator.target_r}); they are the {@code adalora} plugin's options now, and the old names
     * are refused with the new ones.
     */
    public static final ConfigSection ALLOCATOR =
            new ConfigSection(
                    "allocator",
                    "the rank allocator plugin and its options: AdaLoRA's rank budget schedule (total steps follow from the"
                            + " training length; adapter.kind lora keeps its rank and ignores this section)",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    "a rank-allocator plugin name (adalora, ...; rankwise plugins lists them)",
                                    "adalora",
                                    "the rank allocator; its options apply to adapter.kind adalora"),
                            ConfigKey.of(
                                    "options",
                                    OPTIONS,
                                    "name: value pairs the plugin declares (below)",
                                    "{}",
                                    "the plugin's options; left out: the plugin's defaults")),
                    movedToOptions("target_r", "tinit", "tfinal", "delta_t", "orth_reg_weight"),
                    "the allocator is a plugin section like optimizer and metric: allocator: {name: adalora, options: {target_r: 4,"
                            + " tinit: 10, ...}}");

    /**
     * Keeps a read-only copy of the options in their order, and checks that each is a typed scalar.
     */
    public PluginConfig {
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        // RunSpec.Plugin holds the same values; refusing other types here keeps the error near its
        // cause.
        new RunSpec.Plugin(name, options);
    }

    /** Reads a plugin section of {@code kind}, against the plugins of that kind. */
    static PluginConfig read(SectionReader r, Kind kind, Plugins plugins) {
        Plugin plugin = plugin(r, "name", kind, plugins);
        String path = r.path("options");
        return new PluginConfig(
                plugin.name(),
                typed(
                        path,
                        kind,
                        plugin,
                        r.options("options"),
                        true,
                        " (after switching "
                                + r.path("name")
                                + ", clear the previous plugin's options with --set "
                                + path
                                + "=null)"));
    }

    /**
     * The plugin that key {@code key} of {@code r} names.
     *
     * @throws ConfigException naming the key, the value and the discovered plugins of the kind
     */
    static Plugin plugin(SectionReader r, String key, Kind kind, Plugins plugins) {
        String name = r.nonBlank(key);
        PluginRegistry<? extends Plugin> registry = kind.registry(plugins);
        Plugin plugin = registry.byName().get(name.toLowerCase(java.util.Locale.ROOT));
        if (plugin == null) {
            throw r.bad(
                    key,
                    kind.accepted
                            + ": "
                            + (registry.byName().isEmpty()
                                    ? "none was found"
                                    : registry.byName().keySet().stream()
                                            .sorted()
                                            .collect(Collectors.joining(", ")))
                            + " (rankwise plugins lists them and why any failed to load)");
        }
        return plugin;
    }

    /**
     * {@code given} parsed against {@code plugin}'s declared options: typed, in the order of
     * declaration. With {@code complete}, every option is there (defaults filled in, required ones
     * enforced); without, only the given ones (options to be laid over another set).
     *
     * @param path where the options sit, for messages
     * @param hint added to the message of an unknown option
     * @throws ConfigException naming the path, the plugin, the option, the value and what is
     *     accepted
     */
    static Map<String, Object> typed(
            String path,
            Kind kind,
            Plugin plugin,
            Map<String, ?> given,
            boolean complete,
            String hint) {
        List<Option<?>> declared = new ArrayList<>();
        Map<String, Object> rest = new LinkedHashMap<>(given);
        String auto = null;
        for (Option<?> o : plugin.options()) {
            Option<?> d = complete ? o : o.optional("not laid over");
            if (kind.takesAuto(o.name()) && RunSpec.isAuto(given.get(o.name()))) {
                // auto stands for a value the run resolves; the declaration cannot check it, so
                // leave it out of parsing.
                auto = o.name();
                rest.remove(o.name());
                d = o.optional(RunSpec.AUTO);
            }
            declared.add(d);
        }
        Options options;
        try {
            options = Options.parse(plugin.name(), declared, rest);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            throw new ConfigException(
                    path + ": " + message + (message.contains("unknown option") ? hint : ""), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Option<?> o : declared) {
            if (o.name().equals(auto)) {
                out.put(o.name(), RunSpec.AUTO);
            } else if (options.values().containsKey(o.name())) {
                out.put(o.name(), options.values().get(o.name()));
            }
        }
        return out;
    }

    void write(ObjectNode out) {
        out.put("name", name);
        writeOptions(out.putObject("options"), options);
    }

    /**
     * Writes typed option values as YAML scalars (an infinite number as {@code inf}, which reads
     * back as one).
     */
    static void writeOptions(ObjectNode out, Map<String, Object> options) {
        options.forEach((key, value) -> out.set(key, node(value)));
    }

    private static JsonNode node(Object value) {
        if (value instanceof Integer i) {
            return IntNode.valueOf(i);
        }
        if (value instanceof Long l) {
            return LongNode.valueOf(l);
        }
        if (value instanceof Double d) {
            return d.isInfinite() ? TextNode.valueOf(Option.show(d)) : DoubleNode.valueOf(d);
        }
        if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        }
        return TextNode.valueOf(String.valueOf(value));
    }

    /**
     * This plugin with {@code overrides} laid over its options, when {@code otherName} is this same
     * plugin; else {@code overrides} alone (complete for that plugin, as an ablation pair keeps
     * them), because another plugin's options would be refused.
     */
    PluginConfig overriddenBy(String otherName, Map<String, Object> overrides) {
        if (!otherName.equals(name)) {
            return new PluginConfig(otherName, overrides);
        }
        Map<String, Object> merged = new LinkedHashMap<>(options);
        merged.putAll(overrides);
        return new PluginConfig(name, merged);
    }

    private static Map<String, String> movedToOptions(String... keys) {
        Map<String, String> moved = new LinkedHashMap<>();
        for (String key : keys) {
            moved.put(key, "options." + key);
        }
        return moved;
    }
}
