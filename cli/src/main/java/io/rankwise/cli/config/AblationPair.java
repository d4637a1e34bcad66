package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.OPTIONS;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One (optimizer, metric) configuration of an ablation. Its options are laid over the
 * {@code optimizer} (or {@code metric}) section's options when it names the same plugin, and
 * stand alone when it names another (whose plugin would refuse the section's options).
 *
 * @param optimizer the optimizer plugin's name
 * @param metric the importance metric plugin's name
 * @param optimizerOptions optimizer options for this pair
 * @param metricOptions metric options for this pair
 */
public record AblationPair(String optimizer, String metric, Map<String, String> optimizerOptions,
        Map<String, String> metricOptions) {

    /** The keys of one item of {@code ablation.pairs}. */
    public static final ConfigSection SECTION = new ConfigSection("pairs",
            "one (optimizer, metric) configuration; shorthand: optimizer+metric, e.g. ivon+snr", List.of(
                    ConfigKey.of("optimizer", STRING, "an optimizer plugin name", null, "the optimizer"),
                    ConfigKey.of("metric", STRING, "an importance-metric plugin name", null, "the importance metric"),
                    ConfigKey.of("optimizer_options", OPTIONS, "name: value pairs", "{}",
                            "laid over optimizer.options when optimizer is optimizer.name, else used alone"),
                    ConfigKey.of("metric_options", OPTIONS, "name: value pairs", "{}",
                            "laid over metric.options when metric is metric.name, else used alone")));

    /** What an item of {@code ablation.pairs} may be, for errors. */
    static final String ACCEPTED = "optimizer+metric (e.g. ivon+snr) or a section with keys " + SECTION.keyList();

    /** Keeps read-only copies of the options in their order. */
    public AblationPair {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
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

    /** Reads item {@code index}: a section, or the shorthand {@code optimizer+metric}. */
    static AblationPair read(JsonNode item, String path) {
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
        return new AblationPair(r.nonBlank("optimizer"), r.nonBlank("metric"), r.options("optimizer_options"),
                r.options("metric_options"));
    }

    void write(ObjectNode out) {
        out.put("optimizer", optimizer);
        out.put("metric", metric);
        ObjectNode o = out.putObject("optimizer_options");
        optimizerOptions.forEach(o::put);
        ObjectNode m = out.putObject("metric_options");
        metricOptions.forEach(m::put);
    }
}
