package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl: what is written is read back, and a killed run's half line is survived. */
class MetricsLogTest {
    @TempDir Path dir;

    private static Map<String, Double> values(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    @Test
    void roundTripsStepsAndEvaluationsInOrder() throws IOException {
        Path file = dir.resolve("run/metrics.jsonl");
        try (MetricsWriter w = MetricsWriter.append(file)) {
            w.step(new StepEntry(1, 0.6931, 1e-4, 144, 0.5));
            w.step(new StepEntry(2, 0.65, 2e-4, 144, 1.0));
            w.eval(new EvalEntry(2, "validation", values("accuracy", 0.75, "nll", 0.51)));
            w.step(new StepEntry(3, Double.NaN, 3e-4, 120, 1.5));
        }
        MetricsLog log = MetricsLog.read(file);
        assertEquals(
                List.of(
                        new StepEntry(1, 0.6931, 1e-4, 144, 0.5),
                        new StepEntry(2, 0.65, 2e-4, 144, 1.0)),
                log.steps().subList(0, 2));
        StepEntry diverged = log.steps().get(2);
        assertTrue(Double.isNaN(diverged.loss()), "NaN loss survives the round trip");
        assertEquals(120, diverged.budget());
        assertEquals(
                List.of(new EvalEntry(2, "validation", values("accuracy", 0.75, "nll", 0.51))),
                log.evals());
        assertEquals(List.of("accuracy", "nll"), List.copyOf(log.evalMetricNames()));
        assertEquals(0, log.skippedLines());
        assertEquals(
                "{\"step\":1,\"loss\":0.6931,\"lr\":1.0E-4,\"budget\":144,\"seconds\":0.5}",
                Files.readAllLines(file).get(0),
                "the line format other tools read");
    }

    @Test
    void skipsAndCountsATruncatedLastLine() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(
                file,
                "{\"step\":1,\"loss\":0.7,\"lr\":0.001,\"budget\":10,\"seconds\":0.1}\n"
                        + "{\"step\":2,\"loss\":0.6,\"lr\":0.001,\"budget\":10,\"seconds\":0.2}\n"
                        + "{\"step\":3,\"loss\":0.5,\"lr\":0.0");
        MetricsLog log = MetricsLog.read(file);
        assertEquals(2, log.steps().size());
        assertEquals(2, log.steps().get(1).step());
        assertEquals(1, log.skippedLines());
    }

    @Test
    void aCompleteJsonObjectMissingStepFieldsCountsAsTruncated() throws IOException {
        // A cut can fall right after a complete value: '{"step":3}' is valid JSON but no entry.
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(
                file,
                "{\"step\":1,\"loss\":0.7,\"lr\":0.001,\"budget\":10,\"seconds\":0.1}\n{\"step\":3}");
        MetricsLog log = MetricsLog.read(file);
        assertEquals(1, log.steps().size());
        assertEquals(1, log.skippedLines());
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingIt() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(
                file,
                "{\"step\":1,\"loss\":0.7,\"lr\":0.001,\"budget\":10,\"seconds\":0.1}\n"
                        + "{\"step\":2,\"lo\n"
                        + "{\"step\":3,\"loss\":0.5,\"lr\":0.001,\"budget\":10,\"seconds\":0.3}\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void appendingAfterAKillDropsTheHalfLineInsteadOfGluingOntoIt() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsWriter w = MetricsWriter.append(file)) {
            w.step(new StepEntry(1, 0.7, 0.001, 10, 0.1));
        }
        Files.writeString(file, "{\"step\":2,\"loss\":0.", StandardOpenOption.APPEND);
        try (MetricsWriter w = MetricsWriter.append(file)) {
            w.step(new StepEntry(2, 0.6, 0.001, 10, 0.2));
        }
        MetricsLog log = MetricsLog.read(file);
        assertEquals(List.of(1L, 2L), log.steps().stream().map(StepEntry::step).toList());
        assertEquals(0, log.skippedLines());
        assertEquals(2, Files.readAllLines(file, StandardCharsets.UTF_8).size());
    }

    @Test
    void anEmptyLogHasNothing() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "");
        MetricsLog log = MetricsLog.read(file);
        assertTrue(log.steps().isEmpty() && log.evals().isEmpty());
        assertEquals(0, log.skippedLines());
    }
}
