package io.rankwise.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.cli.peft.AdaLoraSettings;
import io.rankwise.cli.peft.PeftExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a run's folder as it goes: {@code metrics.jsonl} (one line per logged step and per
 * evaluation, flushed at once so that a killed run keeps what it logged), and at the end
 * {@code rank_pattern.json} and the adapter in PEFT's format ({@code adapter_config.json},
 * {@code adapter_model.safetensors}).
 */
public final class RunFolder implements RunListener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final AdaLoraSettings peft;
    private final String resolvedConfig;
    private Writer metrics;

    /**
     * A folder for a run. Nothing is written until the run has started (so that settings refused
     * before training leave nothing behind); then the resolved configuration goes to
     * {@code config.yaml} and the metrics log is opened, appending for a resumed run.
     */
    public RunFolder(Path dir, AdaLoraSettings peft, String resolvedConfig) {
        this.dir = dir;
        this.peft = peft;
        this.resolvedConfig = resolvedConfig;
    }

    @Override
    public void started(long totalSteps, String plan) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.yaml"), resolvedConfig, StandardCharsets.UTF_8);
            metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void step(long step, double loss, double lr, int budget, double seconds) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", step).put("loss", loss).put("lr", lr).put("budget", budget).put("seconds", seconds);
        write(line);
    }

    @Override
    public void evaluated(long step, Evaluation evaluation) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", step).put("split", evaluation.split());
        evaluation.values().forEach(line::put);
        write(line);
    }

    @Override
    public void finished(RunResult result) {
        try {
            ObjectNode pattern = JSON.createObjectNode();
            for (Map.Entry<String, boolean[]> e : result.rankPattern().entrySet()) {
                var array = pattern.putArray(e.getKey());
                for (boolean b : e.getValue()) {
                    array.add(b);
                }
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("rank_pattern.json").toFile(), pattern);
            PeftExporter.export(dir.resolve("adapter"), result.adapters(), result.rankPattern(), peft);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(ObjectNode line) {
        try {
            metrics.write(JSON.writeValueAsString(line));
            metrics.write('\n');
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (metrics != null) {
            metrics.close();
        }
    }
}
