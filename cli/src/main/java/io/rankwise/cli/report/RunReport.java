package io.rankwise.cli.report;

import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code report.md} of one run: the resolved configuration, the allocator's phase plan, the
 * final metrics, the surviving ranks per layer × matrix type, the timings, and the plots.
 *
 * @param title the run's name, for the heading
 * @param resolvedConfig the fully resolved configuration, as written to {@code config.yaml}
 * @param phasePlan the allocator's phase plan line (warm-up, pruning, final steps)
 * @param finalMetrics the final evaluation, metric name → value, in the evaluator's order
 * @param rankPattern the final rank pattern, keyed {@code <module>.lora_E}
 * @param timings the run's timings
 * @param plots links to the plots, relative to the run folder (see {@link #links})
 */
public record RunReport(
        String title,
        String resolvedConfig,
        String phasePlan,
        Map<String, Double> finalMetrics,
        Map<String, boolean[]> rankPattern,
        RunTimings timings,
        List<String> plots) {

    /** The file name inside a run folder. */
    public static final String FILE_NAME = "report.md";

    /** Requires every part and keeps read-only copies. */
    public RunReport {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(resolvedConfig, "resolvedConfig");
        Objects.requireNonNull(phasePlan, "phasePlan");
        Objects.requireNonNull(timings, "timings");
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
        plots = List.copyOf(plots);
    }

    /**
     * Links to {@code files} relative to {@code runDir}, with '/' separators so that the Markdown
     * renders the same on every system.
     */
    public static List<String> links(Path runDir, List<Path> files) {
        Path base = runDir.toAbsolutePath().normalize();
        return files.stream()
                .map(
                        f ->
                                base.relativize(f.toAbsolutePath().normalize())
                                        .toString()
                                        .replace('\\', '/'))
                .toList();
    }

    /**
     * Writes {@value #FILE_NAME} into {@code runDir}, atomically (a failed write keeps the earlier
     * report); returns the file.
     */
    public Path write(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        String markdown = toMarkdown();
        AtomicFiles.replace(
                file, temp -> Files.writeString(temp, markdown, StandardCharsets.UTF_8));
        return file;
    }

    /** The report's text. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Run report: ").append(title).append("\n\n");
        md.append("## Configuration\n\n");
        String fence = fenceFor(resolvedConfig);
        md.append(fence).append("yaml\n").append(resolvedConfig);
        if (!resolvedConfig.endsWith("\n")) {
            md.append('\n');
        }
        md.append(fence).append("\n\n");
        md.append("## Phase plan\n\n").append(phasePlan.strip()).append("\n\n");
        appendMetrics(md);
        appendRankPattern(md);
        appendTimings(md);
        appendPlots(md);
        return md.toString();
    }

    private void appendMetrics(StringBuilder md) {
        md.append("## Final metrics\n\n");
        if (finalMetrics.isEmpty()) {
            md.append("No evaluation ran.\n\n");
            return;
        }
        md.append("| metric | value |\n| --- | ---: |\n");
        finalMetrics.forEach(
                (k, v) ->
                        md.append("| ")
                                .append(k)
                                .append(" | ")
                                .append(number(v, 4))
                                .append(" |\n"));
        md.append('\n');
    }

    private void appendRankPattern(StringBuilder md) {
        md.append("## Rank pattern\n\n");
        if (rankPattern.isEmpty()) {
            md.append(
                    "No rank pattern: the run has no AdaLoRA adapters (plain LoRA keeps its"
                            + " rank; see the phase plan).\n\n");
            return;
        }
        RankGrid grid = RankGrid.of(rankPattern);
        md.append("Surviving rank per layer and matrix type; total ")
                .append(grid.totalRank())
                .append(" of ")
                .append(grid.totalCapacity())
                .append(" (\"–\": no adapter).\n\n");
        md.append("| layer |");
        grid.columns().forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n| --- |").append(" ---: |".repeat(grid.columns().size())).append('\n');
        for (int r = 0; r < grid.rows().size(); r++) {
            md.append("| ").append(grid.rows().get(r)).append(" |");
            for (int c = 0; c < grid.columns().size(); c++) {
                md.append(' ')
                        .append(grid.hasAdapter(r, c) ? Integer.toString(grid.rank(r, c)) : "–")
                        .append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void appendTimings(StringBuilder md) {
        md.append("## Timings\n\n| | |\n| --- | ---: |\n");
        md.append("| steps | ").append(timings.steps()).append(" |\n");
        md.append("| total time | ").append(number(timings.totalSeconds(), 1)).append(" s |\n");
        md.append("| seconds per step | ")
                .append(number(timings.secondsPerStep(), 3))
                .append(" |\n");
        md.append("| peak memory | ")
                .append(number(timings.peakMemoryMiB(), 0))
                .append(" MiB |\n\n");
    }

    private void appendPlots(StringBuilder md) {
        md.append("## Plots\n\n");
        if (plots.isEmpty()) {
            md.append("No plots.\n");
            return;
        }
        for (String p : plots) {
            String name =
                    p.substring(p.lastIndexOf('/') + 1)
                            .replaceFirst("\\.png$", "")
                            .replace('_', ' ');
            md.append("![").append(name).append("](").append(p).append(")\n\n");
        }
    }

    /**
     * A code fence longer than any run of backticks in {@code text}, so the text cannot close it.
     */
    private static String fenceFor(String text) {
        int longest = 0;
        Matcher m = Pattern.compile("`+").matcher(text);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
