package io.rankwise.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@code rankwise evaluate} reports: where the weights came from, the split, how the
 * predictions were made (at the mean or averaged over posterior draws) and the metrics, as a short
 * table for the terminal and as JSON (exact values) for scripts.
 *
 * @param source the run folder or adapter folder evaluated
 * @param kind {@code run} (a run folder's checkpoint) or {@code adapter} (an imported PEFT folder)
 * @param step the checkpoint's step, for a run folder
 * @param task the task's name
 * @param split the split's name
 * @param examples how many examples were evaluated
 * @param samples posterior draws averaged (0: the posterior mean, or the adapter's weights)
 * @param seed the seed of the draws, when {@code samples} &gt; 0
 * @param metrics the task's metrics, then nll, brier and ece for classification
 */
public record EvaluationReport(
        String source,
        String kind,
        OptionalLong step,
        String task,
        String split,
        int examples,
        int samples,
        OptionalLong seed,
        Map<String, Double> metrics) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps the metrics' order, read-only. */
    public EvaluationReport {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /**
     * A header line and a two-row table (split, examples, samples, then one column per metric, 4
     * decimals).
     */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%s %s%s on %s, %s%n",
                        kind.equals("run") ? "run folder" : "adapter",
                        source,
                        step.isPresent() ? " (checkpoint of step " + step.getAsLong() + ")" : "",
                        task,
                        samples == 0
                                ? (kind.equals("run")
                                        ? "at the posterior mean"
                                        : "at the adapter's weights")
                                : "posterior predictive over "
                                        + samples
                                        + " draws (seed "
                                        + seed.orElse(0)
                                        + ")"));
        List<String> header = new ArrayList<>(List.of("split", "examples", "samples"));
        List<String> row =
                new ArrayList<>(List.of(split, String.valueOf(examples), String.valueOf(samples)));
        metrics.forEach(
                (name, value) -> {
                    header.add(name);
                    row.add(String.format(Locale.ROOT, "%.4f", value));
                });
        StringBuilder top = new StringBuilder();
        StringBuilder bottom = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            int width = Math.max(header.get(i).length(), row.get(i).length());
            String gap = i + 1 < header.size() ? "  " : "";
            top.append(pad(header.get(i), width)).append(gap);
            bottom.append(pad(row.get(i), width)).append(gap);
        }
        sb.append(top.toString().stripTrailing()).append(System.lineSeparator());
        sb.append(bottom.toString().stripTrailing()).append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * The report as a JSON object; non-finite metric values are written as strings ("NaN",
     * "Infinity").
     */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", source);
        o.put("kind", kind);
        if (step.isPresent()) {
            o.put("step", step.getAsLong());
        }
        o.put("task", task);
        o.put("split", split);
        o.put("examples", examples);
        o.put("samples", samples);
        if (seed.isPresent()) {
            o.put("seed", seed.getAsLong());
        }
        ObjectNode m = o.putObject("metrics");
        metrics.forEach(
                (name, value) -> {
                    if (Double.isFinite(value)) {
                        m.put(name, value);
                    } else {
                        m.put(name, Double.toString(value));
                    }
                });
        return o;
    }

    /**
     * Writes {@link #toJson()} to {@code file} (a temporary file renamed over it, so a reader never
     * sees half).
     */
    public void writeJson(Path file) throws IOException {
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n";
        AtomicFiles.replace(file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
