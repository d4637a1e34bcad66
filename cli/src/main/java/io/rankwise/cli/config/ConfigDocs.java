package io.rankwise.cli.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Documentation of every configuration key (type, default, meaning), rendered from the same
 * {@link ConfigSection}s that the mapping checks against, so it cannot drift from the code:
 * plain text for {@code rankwise train --help}, Markdown for the README.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    /** One documented key: its full path and its {@link ConfigKey}. */
    private record Row(String path, ConfigKey key) {
        String defaultText() {
            return key.required() ? "(required)" : key.defaultValue();
        }
    }

    /** Plain text: one block per section, one line per key (path, default, accepted values, meaning). */
    public static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Configuration keys (YAML; override any with --set path=value, null restores the default):\n");
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            List<Row> rows = rows(section.name(), section.section());
            int width = rows.stream().mapToInt(r -> r.path().length()).max().orElse(0);
            sb.append('\n').append(section.name()).append(": ").append(section.description()).append('\n');
            for (Row r : rows) {
                sb.append("  ").append(pad(r.path(), width)).append("  ").append(r.key().description()).append('\n');
                sb.append("  ").append(pad("", width)).append("  default ").append(r.defaultText()).append("; accepted: ")
                        .append(r.key().accepted()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Markdown, the README's "Configuration keys" section: one table per section with the columns
     * key, default, accepted values, meaning. Sections are separated by a blank line; the text ends
     * with the last table's newline.
     */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("### `").append(section.name()).append("`: ").append(cell(section.description())).append("\n\n");
            sb.append("| key | default | accepted values | meaning |\n| --- | --- | --- | --- |\n");
            for (Row r : rows(section.name(), section.section())) {
                // A required key has no default to quote; a code span would make "(required)" look like a value.
                String defaultCell = r.key().required() ? "required" : "`" + r.key().defaultValue() + "`";
                sb.append("| `").append(r.path()).append("` | ").append(defaultCell).append(" | ")
                        .append(cell(r.key().accepted())).append(" | ").append(cell(r.key().description())).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** The documented key paths in order (nested sections flattened, list items as {@code pairs[]}). */
    public static List<String> paths() {
        List<String> out = new ArrayList<>();
        for (ConfigKey section : RankwiseConfig.SECTION.keys()) {
            rows(section.name(), section.section()).forEach(r -> out.add(r.path()));
        }
        return out;
    }

    private static List<Row> rows(String prefix, ConfigSection section) {
        List<Row> rows = new ArrayList<>();
        for (ConfigKey k : section.keys()) {
            String path = prefix + "." + k.name();
            switch (k.kind()) {
                case SECTION -> rows.addAll(rows(path, k.section()));
                case SECTION_LIST -> {
                    rows.add(new Row(path, k));
                    rows.addAll(rows(path + "[]", k.section()));
                }
                default -> rows.add(new Row(path, k));
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
