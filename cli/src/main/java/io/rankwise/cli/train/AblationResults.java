package io.rankwise.cli.train;

import io.rankwise.cli.config.AblationCell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The table of an ablation: one row per (task, backend, optimizer + metric), with each metric's
 * mean ± sample standard deviation (n − 1) over seeds, seconds per step and peak memory; written as
 * Markdown ({@code ablation.md}) and CSV ({@code ablation.csv}, mean and std in separate columns).
 */
public final class AblationResults {
    private final Map<String, List<RunResult>> byRow = new LinkedHashMap<>();
    private final Set<String> metrics = new LinkedHashSet<>();

    /** Adds a finished cell. */
    public void add(AblationCell cell, RunResult result) {
        String row = cell.task() + "|" + (cell.backend().isEmpty() ? "default" : cell.backend()) + "|" + cell.pair().label();
        byRow.computeIfAbsent(row, k -> new ArrayList<>()).add(result);
        metrics.addAll(result.evaluation().values().keySet());
    }

    /** Writes ablation.md and ablation.csv into {@code dir}; returns the Markdown. */
    public String write(Path dir) throws IOException {
        StringBuilder md = new StringBuilder("| task | backend | optimizer + metric | seeds |");
        StringBuilder csv = new StringBuilder("task,backend,configuration,seeds");
        for (String m : metrics) {
            md.append(' ').append(m).append(" |");
            csv.append(',').append(m).append("_mean,").append(m).append("_std");
        }
        md.append(" s/step | peak MiB |\n|");
        csv.append(",seconds_per_step_mean,seconds_per_step_std,peak_mib_max\n");
        md.append(" --- |".repeat(4 + metrics.size() + 2)).append('\n');
        for (Map.Entry<String, List<RunResult>> e : byRow.entrySet()) {
            String[] key = e.getKey().split("\\|");
            List<RunResult> runs = e.getValue();
            md.append("| ").append(String.join(" | ", key)).append(" | ").append(runs.size()).append(" |");
            csv.append(String.join(",", key)).append(',').append(runs.size());
            for (String m : metrics) {
                double[] v = runs.stream().mapToDouble(r -> r.evaluation().values().getOrDefault(m, Double.NaN)).toArray();
                md.append(' ').append(meanStd(v, "%.4f")).append(" |");
                csv.append(String.format(Locale.ROOT, ",%.6f,%s", mean(v), runs.size() > 1 ? String.format(Locale.ROOT, "%.6f", std(v)) : ""));
            }
            double[] seconds = runs.stream().mapToDouble(RunResult::secondsPerStep).toArray();
            double peak = runs.stream().mapToDouble(RunResult::peakMemoryMiB).max().orElse(Double.NaN);
            md.append(' ').append(meanStd(seconds, "%.3f")).append(" | ").append(String.format(Locale.ROOT, "%.0f", peak)).append(" |\n");
            csv.append(String.format(Locale.ROOT, ",%.6f,%s,%.0f%n", mean(seconds),
                    runs.size() > 1 ? String.format(Locale.ROOT, "%.6f", std(seconds)) : "", peak));
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ablation.md"), md);
        Files.writeString(dir.resolve("ablation.csv"), csv);
        return md.toString();
    }

    private static String meanStd(double[] v, String format) {
        String m = String.format(Locale.ROOT, format, mean(v));
        return v.length > 1 ? m + " ± " + String.format(Locale.ROOT, format, std(v)) : m;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n − 1). */
    static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
