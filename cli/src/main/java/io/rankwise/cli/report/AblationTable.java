package io.rankwise.cli.report;

import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table over all cells of an ablation: one row per (backend, configuration, task), in the order
 * the cells came (a configuration is optimizer+metric, or lora-optimizer for plain LoRA), with
 * every metric, the seconds per step and the peak memory as mean ± sample std over seeds. Written
 * as Markdown (for people: {@code mean ± std} in one cell, "—" for the std of a single seed) and
 * CSV (for tools: mean and std in separate columns, an empty std for a single seed).
 */
public final class AblationTable {
    /** File names inside the ablation's folder. */
    public static final String MARKDOWN = "ablation.md";

    public static final String CSV = "ablation.csv";

    private final List<AblationRow> rows;
    private final List<String> metrics;
    private final Map<String, String> mainMetricByTask;

    private AblationTable(
            List<AblationRow> rows, List<String> metrics, Map<String, String> mainMetricByTask) {
        this.rows = List.copyOf(rows);
        this.metrics = List.copyOf(metrics);
        this.mainMetricByTask = Map.copyOf(mainMetricByTask);
    }

    /** Groups {@code cells} into rows. */
    public static AblationTable of(List<AblationCellResult> cells) {
        Map<List<String>, List<AblationCellResult>> groups = new LinkedHashMap<>();
        Set<String> metrics = new LinkedHashSet<>();
        Map<String, String> main = new LinkedHashMap<>();
        for (AblationCellResult c : cells) {
            groups.computeIfAbsent(
                            List.of(c.backendLabel(), c.configuration(), c.task()),
                            k -> new ArrayList<>())
                    .add(c);
            metrics.addAll(c.values().keySet());
            // The evaluator puts the task's own metric first; that is the one to compare on.
            c.values().keySet().stream().findFirst().ifPresent(m -> main.putIfAbsent(c.task(), m));
        }
        List<AblationRow> rows = new ArrayList<>();
        for (Map.Entry<List<String>, List<AblationCellResult>> g : groups.entrySet()) {
            List<AblationCellResult> seeds = g.getValue();
            Map<String, Summary> values = new LinkedHashMap<>();
            for (String m : metrics) {
                List<Double> v =
                        seeds.stream()
                                .filter(c -> c.values().containsKey(m))
                                .map(c -> c.values().get(m))
                                .toList();
                if (!v.isEmpty()) {
                    values.put(m, Summary.of(v));
                }
            }
            rows.add(
                    new AblationRow(
                            g.getKey().get(0),
                            g.getKey().get(1),
                            g.getKey().get(2),
                            seeds.size(),
                            values,
                            Summary.of(
                                    seeds.stream()
                                            .map(AblationCellResult::secondsPerStep)
                                            .toList()),
                            Summary.of(
                                    seeds.stream()
                                            .map(AblationCellResult::peakMemoryMiB)
                                            .toList())));
        }
        return new AblationTable(rows, new ArrayList<>(metrics), main);
    }

    /** The rows, in the order their first cell came. */
    public List<AblationRow> rows() {
        return rows;
    }

    /** Every metric any cell reported, in order of first appearance: the table's metric columns. */
    public List<String> metrics() {
        return metrics;
    }

    /**
     * The metric to compare configurations on for {@code task}: the first one its cells reported.
     */
    public Optional<String> mainMetric(String task) {
        return Optional.ofNullable(mainMetricByTask.get(task));
    }

    /** The tasks, in order of first appearance. */
    public List<String> tasks() {
        return rows.stream().map(AblationRow::task).distinct().toList();
    }

    /** The table as GitHub-flavoured Markdown, numbers right-aligned. */
    public String toMarkdown() {
        List<String> header = new ArrayList<>(List.of("backend", "configuration", "task", "seeds"));
        header.addAll(metrics);
        header.addAll(List.of("s/step", "peak MiB"));
        StringBuilder md = new StringBuilder();
        md.append(markdownLine(header));
        List<String> align = new ArrayList<>(List.of("---", "---", "---"));
        while (align.size() < header.size()) {
            align.add("---:");
        }
        md.append(markdownLine(align));
        for (AblationRow r : rows) {
            List<String> cells =
                    new ArrayList<>(
                            List.of(
                                    r.backend(),
                                    r.configuration(),
                                    r.task(),
                                    Integer.toString(r.seeds())));
            metrics.forEach(m -> cells.add(r.value(m).format(4)));
            cells.add(r.secondsPerStep().format(3));
            cells.add(r.peakMemoryMiB().format(0));
            md.append(markdownLine(cells));
        }
        return md.toString();
    }

    /** The table as CSV (RFC 4180 quoting, {@code \n} line ends, numbers with a dot). */
    public String toCsv() {
        List<String> header = new ArrayList<>(List.of("backend", "configuration", "task", "seeds"));
        for (String m : metrics) {
            header.add(m + "_mean");
            header.add(m + "_std");
        }
        header.addAll(
                List.of(
                        "seconds_per_step_mean",
                        "seconds_per_step_std",
                        "peak_memory_mib_mean",
                        "peak_memory_mib_std"));
        StringBuilder csv = new StringBuilder(csvLine(header));
        for (AblationRow r : rows) {
            List<String> cells =
                    new ArrayList<>(
                            List.of(
                                    r.backend(),
                                    r.configuration(),
                                    r.task(),
                                    Integer.toString(r.seeds())));
            metrics.forEach(m -> addCsv(cells, r.value(m), 6));
            addCsv(cells, r.secondsPerStep(), 6);
            addCsv(cells, r.peakMemoryMiB(), 1);
            csv.append(csvLine(cells));
        }
        return csv.toString();
    }

    /**
     * Writes {@value #MARKDOWN} (the table, then {@code moreMarkdown}, e.g. further sections) and
     * {@value #CSV} into {@code dir}; returns both files.
     */
    public List<Path> write(Path dir, String... moreMarkdown) throws IOException {
        Path md = dir.resolve(MARKDOWN);
        Path csv = dir.resolve(CSV);
        String markdown = toMarkdown() + String.join("", moreMarkdown);
        String table = toCsv();
        // Each atomically: a failed write keeps the earlier file, never half of one.
        AtomicFiles.replace(md, temp -> Files.writeString(temp, markdown, StandardCharsets.UTF_8));
        AtomicFiles.replace(csv, temp -> Files.writeString(temp, table, StandardCharsets.UTF_8));
        return List.of(md, csv);
    }

    private static String markdownLine(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        // A '|' inside a name (an option value, say) would split the cell.
        cells.forEach(c -> b.append(' ').append(c.replace("|", "\\|")).append(" |"));
        return b.append('\n').toString();
    }

    private static void addCsv(List<String> cells, Summary s, int decimals) {
        cells.add(s.n() == 0 ? "" : number(s.mean(), decimals));
        cells.add(s.hasSpread() ? number(s.std(), decimals) : "");
    }

    private static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = cells.stream().map(AblationTable::csvField).toList();
        return String.join(",", quoted) + "\n";
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
