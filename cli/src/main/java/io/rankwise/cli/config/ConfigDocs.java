package io.rankwise.cli.config;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Documentation of every configuration key (type, default, meaning), rendered from the same {@link
 * ConfigSection}s that the mapping checks against, and of every option of the plugins that the
 * {@code optimizer}, {@code metric} and {@code allocator} sections name, rendered from the plugins'
 * declared {@link Option}s, so that neither can drift from the code: plain text for {@code rankwise
 * train --help}, Markdown for the README.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    /**
     * One documented row: a configuration key, or an option of a plugin.
     *
     * @param path the full path ({@code training.batch_size}, {@code optimizer.options.lr})
     * @param plugin the plugin whose option it is; null for a configuration key
     * @param defaultValue the default as YAML text; null when there is none (see {@code noDefault})
     * @param noDefault what stands in the default column without a default: "required", or what
     *     leaving the option out means
     * @param accepted what values are accepted
     * @param description what it means
     */
    private record Row(
            String path,
            String plugin,
            String defaultValue,
            String noDefault,
            String accepted,
            String description) {

        static Row of(String path, ConfigKey key) {
            return new Row(
                    path,
                    null,
                    key.required() ? null : key.defaultValue(),
                    "required",
                    key.accepted(),
                    key.description());
        }

        static Row of(String path, PluginConfig.Kind kind, Plugin plugin, Option<?> option) {
            String value =
                    option.defaultValue() == null ? null : Option.show(option.defaultValue());
            return new Row(
                    path,
                    plugin.name(),
                    value,
                    option.required() ? "required" : option.unset(),
                    kind.accepted(option),
                    option.doc());
        }

        /** The key as listed: the path, and for a plugin's option the plugin's name. */
        String label() {
            return plugin == null ? path : path + " (" + plugin + ")";
        }

        String defaultText() {
            return defaultValue != null
                    ? defaultValue
                    : noDefault.equals("required") ? "(required)" : noDefault;
        }

        String defaultCell() {
            // A required key has no default to quote; a code span would make "required" look like a
            // value.
            return defaultValue != null ? "`" + defaultValue + "`" : cell(noDefault);
        }
    }

    /**
     * Plain text: one block per section, one line per key (path, default, accepted values,
     * meaning), and after a plugin section's {@code options} each option of each of {@code
     * plugins}' plugins of that kind.
     */
    public static String text(Plugins plugins) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "Configuration keys (YAML; override any with --set path=value, null restores the default):\n");
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            List<Row> rows = rows(section.name(), section.section(), plugins);
            int width = rows.stream().mapToInt(r -> r.label().length()).max().orElse(0);
            sb.append('\n')
                    .append(section.name())
                    .append(": ")
                    .append(section.description())
                    .append('\n');
            for (Row r : rows) {
                sb.append("  ")
                        .append(pad(r.label(), width))
                        .append("  ")
                        .append(r.description())
                        .append('\n');
                sb.append("  ")
                        .append(pad("", width))
                        .append("  default ")
                        .append(r.defaultText())
                        .append("; accepted: ")
                        .append(r.accepted())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Markdown, the README's "Configuration keys" section: one table per section with the columns
     * key, default, accepted values, meaning, the plugin sections with a row per option of each of
     * {@code plugins}' plugins. Sections are separated by a blank line; the text ends with the last
     * table's newline.
     */
    public static String markdown(Plugins plugins) {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("### `")
                    .append(section.name())
                    .append("`: ")
                    .append(cell(section.description()))
                    .append("\n\n");
            sb.append("| key | default | accepted values | meaning |\n| --- | --- | --- | --- |\n");
            for (Row r : rows(section.name(), section.section(), plugins)) {
                String key =
                        "`" + r.path() + "`" + (r.plugin() == null ? "" : " (" + r.plugin() + ")");
                sb.append("| ")
                        .append(key)
                        .append(" | ")
                        .append(r.defaultCell())
                        .append(" | ")
                        .append(cell(r.accepted()))
                        .append(" | ")
                        .append(cell(r.description()))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    /**
     * The documented configuration key paths in order (nested sections flattened, list items as
     * {@code pairs[]}); plugins' options are not among them: they depend on the plugin chosen.
     */
    public static List<String> paths() {
        List<String> out = new ArrayList<>();
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            rows(section.name(), section.section(), null).forEach(r -> out.add(r.path()));
        }
        return out;
    }

    /**
     * The rows of a section; with {@code plugins}, a plugin section's options follow its {@code
     * options} key.
     */
    private static List<Row> rows(String prefix, ConfigSection section, Plugins plugins) {
        List<Row> rows = new ArrayList<>();
        Optional<PluginConfig.Kind> kind = PluginConfig.Kind.of(prefix);
        for (ConfigKey k : section.keys()) {
            String path = prefix + "." + k.name();
            switch (k.kind()) {
                case SECTION -> rows.addAll(rows(path, k.section(), plugins));
                case SECTION_LIST -> {
                    rows.add(Row.of(path, k));
                    rows.addAll(rows(path + "[]", k.section(), plugins));
                }
                default -> {
                    rows.add(Row.of(path, k));
                    if (plugins != null && kind.isPresent() && k.kind() == ValueKind.OPTIONS) {
                        for (Plugin p : kind.get().registry(plugins).providers()) {
                            for (Option<?> o : p.options()) {
                                rows.add(Row.of(path + "." + o.name(), kind.get(), p, o));
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    /**
     * Text for a Markdown table cell: a bare {@code |} would end the cell, and {@code <task>} would
     * be taken for an HTML tag and vanish from the rendered page ({@code >} alone is harmless, so
     * {@code >= 1} stays readable in the README's source).
     */
    private static String cell(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|");
    }
}
