package io.rankwise.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a run's {@code metrics.jsonl} holds: its logged steps and evaluations, in file order.
 *
 * @param steps the training steps
 * @param evals the evaluations
 * @param skippedLines lines that could not be read: 1 when a killed run left a half-written last
 *     line, else 0
 */
public record MetricsLog(List<StepEntry> steps, List<EvalEntry> evals, int skippedLines) {

    /** The file name inside a run folder. */
    public static final String FILE_NAME = "metrics.jsonl";

    /** Keeps read-only copies. */
    public MetricsLog {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /**
     * Reads {@code file}. Blank lines are ignored; an unreadable last line is what a killed run
     * leaves, so it is skipped and counted; an unreadable line anywhere else means the file is
     * damaged, and is an error naming the line.
     */
    public static MetricsLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<StepEntry> steps = new ArrayList<>();
        List<EvalEntry> evals = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Optional<JsonNode> node = parse(line);
            if (node.isEmpty()) {
                if (i == last) {
                    skipped++;
                    continue;
                }
                throw new IOException(
                        file
                                + ": line "
                                + (i + 1)
                                + " is not a metrics entry: "
                                + abbreviate(line));
            }
            if (MetricsJson.isEval(node.get())) {
                evals.add(MetricsJson.eval(node.get()));
            } else {
                steps.add(MetricsJson.step(node.get()));
            }
        }
        return new MetricsLog(steps, evals, skipped);
    }

    /** The names of the evaluated metrics, in order of first appearance. */
    public Set<String> evalMetricNames() {
        Set<String> names = new LinkedHashSet<>();
        evals.forEach(e -> names.addAll(e.values().keySet()));
        return names;
    }

    /** A complete entry, or empty for a line a killed writer cut short (or otherwise malformed). */
    private static Optional<JsonNode> parse(String line) {
        try {
            JsonNode n = MetricsJson.JSON.readTree(line);
            if (n == null || !n.isObject() || !n.has("step")) {
                return Optional.empty();
            }
            if (!MetricsJson.isEval(n)
                    && !(n.has("loss") && n.has("lr") && n.has("budget") && n.has("seconds"))) {
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
