package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.OPTIONS;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Plugin;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One (optimizer, metric) configuration of an ablation. Its options are laid over the {@code
 * optimizer} (or {@code metric}) section's options when it names the same plugin, and stand alone
 * when it names another (whose plugin would refuse the section's options).
 *
 * <p>Options are typed by the plugin's declaration when read. Those laid over a section are the
 * ones written; those that stand alone are complete (the plugin's defaults filled in), as a
 * section's are, so that every cell's configuration lists every option it runs with.
 *
 * @param optimizer the optimizer plugin's name
 * @param metric the importance metric plugin's name
 * @param optimizerOptions optimizer options for this pair
 * @param metricOptions metric options for this pair
 */
public record AblationPair(
        String optimizer,
        String metric,
        Map<String, Object> optimizerOptions,
        Map<String, Object> metricOptions) {

    /** The keys of one item of {@code ablation.pairs}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "pairs",
                    "one (optimizer, metric) configuration; shorthand: optimizer+metric, e.g. ivon+snr",
                    List.of(
                            ConfigKey.of(
                                    "optimizer",
                                    STRING,
                                    "an optimizer plugin name",
                                    null,
                                    "the optimizer"),
                            ConfigKey.of(
                                    "metric",
                                    STRING,
                                    "an importance-metric plugin name",
                                    null,
                                    "the importance metric"),
                            ConfigKey.of(
                                    "optimizer_options",
                                    OPTIONS,
                                    "name: value pairs the optimizer declares",
                                    "{}",
                                    "laid over optimizer.options when optimizer is optimizer.name, else used alone"),
                            ConfigKey.of(
                                    "metric_options",
                                    OPTIONS,
                                    "name: value pairs the metric declares",
                                    "{}",
                                    "laid over metric.options when metric is metric.name, else used alone")));

    /** What an item of {@code ablation.pairs} may be, for errors. */
    static final String ACCEPTED =
            "optimizer+metric (e.g. ivon+snr) or a section with keys " + SECTION.keyList();

    /**
     * Keeps read-only copies of the options in their order, and checks that each is a typed scalar.
     */
    public AblationPair {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        new io.rankwise.training.spec.RunSpec.Plugin(optimizer, optimizerOptions);
        new io.rankwise.training.spec.RunSpec.Plugin(metric, metricOptions);
        optimizerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerOptions));
        metricOptions = Collections.unmodifiableMap(new LinkedHashMap<>(metricOptions));
    }

    /** A pair without options of its own. */
    public static AblationPair of(String optimizer, String metric) {
        return new AblationPair(optimizer, metric, Map.of(), Map.of());
    }

    /** {@code optimizer+metric}, as tables and folder names show it. */
    public String label() {
        return optimizer + "+" + metric;
    }

    /**
     * Reads an item of {@code ablation.pairs} at {@code path}: a section, or the shorthand {@code
     * optimizer+metric}; its options are parsed against the named plugins' declarations, laid over
     * {@code optimizerSection} and {@code metricSection} when they name the same plugin.
     */
    static AblationPair read(
            JsonNode item,
            String path,
            Plugins plugins,
            PluginConfig optimizerSection,
            PluginConfig metricSection) {
        JsonNode node = item;
        if (item != null && item.isTextual()) {
            String[] parts = item.asText().split("\\+", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw Messages.badValue(path, item, ACCEPTED);
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("optimizer", parts[0].trim());
            o.put("metric", parts[1].trim());
            node = o;
        } else if (item == null || !item.isObject()) {
            throw Messages.badValue(path, item, ACCEPTED);
        }
        SectionReader r = new SectionReader(node, SECTION, path);
        Plugin optimizer =
                PluginConfig.plugin(r, "optimizer", PluginConfig.Kind.OPTIMIZER, plugins);
        Plugin metric = PluginConfig.plugin(r, "metric", PluginConfig.Kind.METRIC, plugins);
        return new AblationPair(
                optimizer.name(),
                metric.name(),
                options(
                        r,
                        "optimizer_options",
                        PluginConfig.Kind.OPTIMIZER,
                        optimizer,
                        optimizerSection),
                options(r, "metric_options", PluginConfig.Kind.METRIC, metric, metricSection));
    }

    private static Map<String, Object> options(
            SectionReader r,
            String key,
            PluginConfig.Kind kind,
            Plugin plugin,
            PluginConfig section) {
        // Laid over the section's complete options, or complete on their own.
        boolean alone = !plugin.name().equals(section.name());
        return PluginConfig.typed(r.path(key), kind, plugin, r.options(key), alone, "");
    }

    void write(ObjectNode out) {
        out.put("optimizer", optimizer);
        out.put("metric", metric);
        PluginConfig.writeOptions(out.putObject("optimizer_options"), optimizerOptions);
        PluginConfig.writeOptions(out.putObject("metric_options"), metricOptions);
    }
}
