package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.OPTIONS;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Plugin;
import io.rankwise.cli.report.AblationCellResult;
import io.rankwise.training.spec.LrSchedule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One (optimizer, metric) configuration of an ablation, or, with {@code adapter: lora}, plain LoRA
 * trained by an optimizer (no metric: LoRA allocates no rank). Its options are laid over the {@code
 * optimizer} (or {@code metric}) section's options when it names the same plugin, and stand alone
 * when it names another (whose plugin would refuse the section's options). Its adapter kind
 * replaces {@code adapter.kind} in its cells; the other adapter keys (init_r, lora_alpha,
 * target_modules) are the section's, so a LoRA pair trains rank init_r with scale lora_alpha /
 * init_r.
 *
 * <p>Options are typed by the plugin's declaration when read. Those laid over a section are the
 * ones written; those that stand alone are complete (the plugin's defaults filled in), as a
 * section's are, so that every cell's configuration lists every option it runs with.
 *
 * @param optimizer the optimizer plugin's name
 * @param metric the importance metric plugin's name; empty for a LoRA pair
 * @param optimizerOptions optimizer options for this pair
 * @param metricOptions metric options for this pair; empty for a LoRA pair
 * @param adapter the adapter kind of this pair's cells
 * @param lrSchedule the learning-rate schedule of this pair's cells, or null for {@code
 *     training.lr_schedule}
 */
public record AblationPair(
        String optimizer,
        String metric,
        Map<String, Object> optimizerOptions,
        Map<String, Object> metricOptions,
        AdapterKind adapter,
        LrSchedule lrSchedule) {

    /** What a LoRA pair is written as in the command-line shorthand: {@code lora-<optimizer>}. */
    static final String LORA_PREFIX = "lora-";

    /** The keys of one item of {@code ablation.pairs}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "pairs",
                    "one (optimizer, metric) configuration, or plain LoRA with an optimizer; shorthand: optimizer+metric"
                            + " (e.g. ivon+snr) or lora-optimizer (e.g. lora-adam)",
                    List.of(
                            ConfigKey.of(
                                    "adapter",
                                    STRING,
                                    "adalora, lora",
                                    "adalora",
                                    "the adapter kind of this pair's cells (replaces adapter.kind): lora trains plain LoRA at the"
                                            + " fixed rank adapter.init_r with this optimizer and no metric"),
                            ConfigKey.of(
                                    "optimizer",
                                    STRING,
                                    "an optimizer plugin name",
                                    null,
                                    "the optimizer"),
                            ConfigKey.of(
                                    "metric",
                                    STRING,
                                    "an importance-metric plugin name; left out for adapter lora",
                                    "''",
                                    "the importance metric (required for adalora pairs; a lora pair has none)"),
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
                                    "laid over metric.options when metric is metric.name, else used alone"),
                            ConfigKey.section(LrScheduleSection.SECTION)));

    /** What an item of {@code ablation.pairs} may be, for errors. */
    static final String ACCEPTED =
            "optimizer+metric (e.g. ivon+snr), lora-optimizer (e.g. lora-adam) or a section with keys "
                    + SECTION.keyList();

    /**
     * Keeps read-only copies of the options in their order, and checks that each is a typed scalar
     * and that a LoRA pair has no metric.
     */
    public AblationPair {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(adapter, "adapter");
        new io.rankwise.training.spec.RunSpec.Plugin(optimizer, optimizerOptions);
        new io.rankwise.training.spec.RunSpec.Plugin(metric, metricOptions);
        if (adapter == AdapterKind.LORA && (!metric.isEmpty() || !metricOptions.isEmpty())) {
            throw new IllegalArgumentException(
                    "a LoRA pair has no metric, got " + metric + " " + metricOptions);
        }
        optimizerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerOptions));
        metricOptions = Collections.unmodifiableMap(new LinkedHashMap<>(metricOptions));
    }

    /** A pair that trains with {@code training.lr_schedule}. */
    public AblationPair(
            String optimizer,
            String metric,
            Map<String, Object> optimizerOptions,
            Map<String, Object> metricOptions,
            AdapterKind adapter) {
        this(optimizer, metric, optimizerOptions, metricOptions, adapter, null);
    }

    /** An AdaLoRA pair that trains with {@code training.lr_schedule}. */
    public AblationPair(
            String optimizer,
            String metric,
            Map<String, Object> optimizerOptions,
            Map<String, Object> metricOptions) {
        this(optimizer, metric, optimizerOptions, metricOptions, AdapterKind.ADALORA);
    }

    /**
     * This pair with its own learning-rate schedule, which replaces {@code training.lr_schedule} in
     * its cells (the paper runs Adam with a linear warm-up and IVON with its own schedule).
     */
    public AblationPair withLrSchedule(LrSchedule schedule) {
        return new AblationPair(
                optimizer, metric, optimizerOptions, metricOptions, adapter, schedule);
    }

    /** An AdaLoRA pair without options of its own. */
    public static AblationPair of(String optimizer, String metric) {
        return new AblationPair(optimizer, metric, Map.of(), Map.of());
    }

    /** A LoRA pair: plain LoRA trained by {@code optimizer} with these options. */
    public static AblationPair lora(String optimizer, Map<String, Object> optimizerOptions) {
        return new AblationPair(optimizer, "", optimizerOptions, Map.of(), AdapterKind.LORA);
    }

    /**
     * The configuration as tables and folder names show it: {@code optimizer+metric} for AdaLoRA,
     * {@code lora-optimizer} for LoRA ({@link AblationCellResult#configuration(String, String,
     * String)}).
     */
    public String label() {
        return AblationCellResult.configuration(adapter.configName(), optimizer, metric);
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
            String text = item.asText().trim();
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (!text.contains("+") && text.startsWith(LORA_PREFIX)) {
                // lora-adam: no '+', since a LoRA pair has no metric.
                String optimizer = text.substring(LORA_PREFIX.length()).trim();
                if (optimizer.isEmpty()) {
                    throw Messages.badValue(path, item, ACCEPTED);
                }
                o.put("adapter", AdapterKind.LORA.configName());
                o.put("optimizer", optimizer);
            } else {
                String[] parts = text.split("\\+", -1);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw Messages.badValue(path, item, ACCEPTED);
                }
                o.put("optimizer", parts[0].trim());
                o.put("metric", parts[1].trim());
            }
            node = o;
        } else if (item == null || !item.isObject()) {
            throw Messages.badValue(path, item, ACCEPTED);
        }
        SectionReader r = new SectionReader(node, SECTION, path);
        LrSchedule schedule =
                r.given("lr_schedule") ? LrScheduleSection.read(r.section("lr_schedule")) : null;
        return readPair(r, plugins, optimizerSection, metricSection).withLrSchedule(schedule);
    }

    private static AblationPair readPair(
            SectionReader r,
            Plugins plugins,
            PluginConfig optimizerSection,
            PluginConfig metricSection) {
        AdapterKind adapter =
                AdapterKind.valueOf(
                        r.oneOf("adapter", List.of("adalora", "lora"))
                                .toUpperCase(java.util.Locale.ROOT));
        Plugin optimizer =
                PluginConfig.plugin(r, "optimizer", PluginConfig.Kind.OPTIMIZER, plugins);
        if (adapter == AdapterKind.LORA) {
            // LoRA computes no importance: a metric here would be silently unused.
            for (String key : List.of("metric", "metric_options")) {
                if (r.given(key)) {
                    throw Messages.badValue(
                            r.path(key),
                            r.value(key),
                            "nothing: a pair with adapter lora trains plain LoRA at a fixed rank, which"
                                    + " has no importance metric; leave "
                                    + key
                                    + " out");
                }
            }
            return lora(
                    optimizer.name(),
                    options(
                            r,
                            "optimizer_options",
                            PluginConfig.Kind.OPTIMIZER,
                            optimizer,
                            optimizerSection));
        }
        if (!r.given("metric")) {
            throw new ConfigException(
                    r.path("metric")
                            + " is missing; accepted: an importance-metric plugin name (or adapter:"
                            + " lora, a LoRA pair, which has none)");
        }
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
        out.put("adapter", adapter.configName());
        out.put("optimizer", optimizer);
        if (lrSchedule != null) {
            LrScheduleSection.write(lrSchedule, out.putObject("lr_schedule"));
        }
        if (adapter == AdapterKind.LORA) {
            // Read back, a LoRA pair refuses any metric key.
            PluginConfig.writeOptions(out.putObject("optimizer_options"), optimizerOptions);
            return;
        }
        out.put("metric", metric);
        PluginConfig.writeOptions(out.putObject("optimizer_options"), optimizerOptions);
        PluginConfig.writeOptions(out.putObject("metric_options"), metricOptions);
    }
}
