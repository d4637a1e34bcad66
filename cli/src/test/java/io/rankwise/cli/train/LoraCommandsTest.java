package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.cli.Main;
import io.rankwise.cli.report.EvalEntry;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.cli.report.StepEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.training.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain LoRA from the command line as a user runs it: {@code train --set adapter.kind=lora --set
 * optimizer.name=adam} on the tiny settings of EvaluateExportTest (8 steps on 64 mails, djl), then
 * {@code evaluate}, {@code export} and {@code evaluate --adapter}; and an IVON LoRA run whose
 * posterior {@code evaluate --samples} draws from. The configuration keeps metric snr, which Adam
 * could not serve under AdaLoRA: a LoRA run ignores the metric section.
 */
class LoraCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An AdaLoRA configuration, IVON + snr; the runs switch it to LoRA with --set. */
    private static final String TINY =
            """
            run: {output_dir: %s, seed: 11, log_every: 1, eval_every: 0, checkpoint_every: 0}
            backend: {name: djl, device: cpu}
            model: {max_length: 24, pooling: mean, dropout: 0.1}
            adapter: {init_r: 3, lora_alpha: 6, target_modules: [query, value]}
            allocator: {name: adalora, options: {target_r: 2, tinit: 2, tfinal: 2, delta_t: 2}}
            optimizer: {name: ivon, options: {lr: 0.05, ess: auto, hess_init: 0.5, seed: 5}}
            metric: {name: snr}
            task: {name: spam-assassin, max_train: 64, max_eval: 16}
            training: {epochs: 1, batch_size: 8, lr_schedule: {kind: linear, warmup_steps: 2}}
            """;

    @TempDir static Path tmp;

    private static Path config;
    private static Path adamRun;
    private static Path ivonRun;
    private static String trainOut;

    /** Exit code, stdout and stderr of one command line. */
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainTwoLoraRuns() throws IOException {
        config = tmp.resolve("tiny.yaml");
        Path runs = tmp.resolve("runs");
        Files.writeString(config, TINY.formatted(runs));
        // The user's command: switch the adapters to LoRA and the optimizer to Adam; run.name is
        // left blank, so the folder is named after the run.
        Result adam =
                run(
                        "train",
                        "--config",
                        config.toString(),
                        "--set",
                        "adapter.kind=lora",
                        "--set",
                        "optimizer.name=adam",
                        "--set",
                        "optimizer.options=null",
                        "--set",
                        "optimizer.options.lr=0.01");
        assertEquals(0, adam.code(), adam.err() + adam.out());
        trainOut = adam.out();
        try (var folders = Files.list(runs)) {
            List<Path> made = folders.toList();
            assertEquals(1, made.size(), made.toString());
            adamRun = made.get(0);
        }
        Result ivon =
                run(
                        "train",
                        "--config",
                        config.toString(),
                        "--set",
                        "adapter.kind=lora",
                        "--set",
                        "run.name=ivon-lora");
        assertEquals(0, ivon.code(), ivon.err() + ivon.out());
        ivonRun = runs.resolve("ivon-lora");
    }

    @Test
    void theRunFolderIsNamedForLoraAndHoldsALoraRunsFiles() throws IOException {
        assertTrue(
                adamRun.getFileName().toString().startsWith("spam-assassin-lora-adam-"),
                adamRun.toString());
        for (String file :
                List.of(
                        "config.yaml",
                        "metrics.jsonl",
                        "report.md",
                        "checkpoint/state.bin",
                        "adapter/adapter_config.json",
                        "adapter/adapter_model.safetensors",
                        "adapter/digest.sha256",
                        "plots/loss.png")) {
            assertTrue(Files.isRegularFile(adamRun.resolve(file)), file + " is written");
        }
        // No rank allocation: no rank pattern, no budget curve, no heat map.
        for (String file :
                List.of("rank_pattern.json", "plots/budget.png", "plots/rank_pattern.png")) {
            assertFalse(Files.exists(adamRun.resolve(file)), file + " is not written");
        }
        assertTrue(trainOut.contains("LoRA at a fixed total rank of 36"), trainOut);
        String report = Files.readString(adamRun.resolve("report.md"), StandardCharsets.UTF_8);
        // The plan the progress line prints at the start is the report's phase plan.
        assertTrue(
                report.contains(
                        "## Phase plan\n\nLoRA: fixed rank r = 3 on 12 matrices (total rank 36) for"
                                + " the whole run; no rank allocation, importance metric or"
                                + " orthogonality regulariser (the allocator and metric sections are"
                                + " not used)"),
                report);
        assertTrue(report.contains("No rank pattern: the run has no AdaLoRA adapters"), report);
        assertFalse(report.contains("budget.png"), report);
        String resolved = Files.readString(adamRun.resolve("config.yaml"));
        assertTrue(
                resolved.contains("kind: \"lora\"") || resolved.contains("kind: lora"), resolved);
        // The budget column logs the constant total rank.
        List<StepEntry> steps = MetricsLog.read(adamRun.resolve(MetricsLog.FILE_NAME)).steps();
        assertEquals(8, steps.size());
        assertTrue(steps.stream().allMatch(s -> s.budget() == 36), steps.toString());
        assertEquals(8, Checkpoint.read(adamRun).step());
        assertEquals(0, Checkpoint.read(adamRun).allocator().keep().length);
    }

    /** The metrics of a JSON report, in order. */
    private static Map<String, Double> metrics(Path json) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        JSON.readTree(json.toFile())
                .get("metrics")
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().doubleValue()));
        return out;
    }

    private static Map<String, Double> evaluate(String name, String... args) throws IOException {
        Path json = tmp.resolve(name + ".json");
        List<String> all = new ArrayList<>(List.of("evaluate", "--out", json.toString()));
        all.addAll(List.of(args));
        Result r = run(all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return metrics(json);
    }

    @Test
    void evaluateReproducesTheRunsFinalEvaluation() throws IOException {
        List<EvalEntry> evals = MetricsLog.read(adamRun.resolve(MetricsLog.FILE_NAME)).evals();
        assertEquals(
                evals.get(evals.size() - 1).values(),
                evaluate("adam-mean", "--run-dir", adamRun.toString()),
                "the logged final evaluation, exactly");
    }

    @Test
    void exportWritesPeftsLoraFormatAndEvaluateAdapterReadsItBack() throws IOException {
        Path peft = tmp.resolve("peft-lora");
        Result export = run("export", "--run-dir", adamRun.toString(), "--out", peft.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(
                export.out()
                        .contains("12 LoRA adapters of rank 3, head [classifier.weight[2, 384],"),
                export.out());
        JsonNode c = JSON.readTree(peft.resolve("adapter_config.json").toFile());
        assertEquals("LORA", c.get("peft_type").textValue());
        assertEquals(3, c.get("r").intValue());
        assertEquals(6, c.get("lora_alpha").intValue());
        assertEquals(0.0, c.get("lora_dropout").doubleValue());
        assertEquals("[\"query\",\"value\"]", c.get("target_modules").toString());
        assertEquals("[\"classifier\"]", c.get("modules_to_save").toString());
        assertEquals("SEQ_CLS", c.get("task_type").textValue());
        try (SafetensorsReader reader =
                SafetensorsReader.open(peft.resolve("adapter_model.safetensors"))) {
            String q = "base_model.model.bert.encoder.layer.0.attention.self.query";
            assertEquals(
                    List.of(3L, 384L),
                    toList(reader.entry(q + ".lora_A.weight").orElseThrow().shape()));
            assertEquals(
                    List.of(384L, 3L),
                    toList(reader.entry(q + ".lora_B.weight").orElseThrow().shape()));
            assertEquals(26, reader.names().size(), "A and B of 12 matrices, the classifier");
        }
        // The same files as training wrote at the end.
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            assertEquals(
                    -1L,
                    Files.mismatch(adamRun.resolve("adapter").resolve(file), peft.resolve(file)),
                    file);
        }

        Map<String, Double> fromRun = evaluate("lora-run", "--run-dir", adamRun.toString());
        Map<String, Double> fromPeft =
                evaluate(
                        "lora-peft",
                        "--adapter",
                        peft.toString(),
                        "--config",
                        adamRun.resolve("config.yaml").toString());
        assertEquals(fromRun, fromPeft, "A, B and the head survive the PEFT files exactly");
    }

    private static List<Long> toList(long[] shape) {
        List<Long> out = new ArrayList<>();
        for (long d : shape) {
            out.add(d);
        }
        return out;
    }

    @Test
    void aLoraFolderOnAnAdaLoraModelIsRefusedWithTheSetThatReadsIt() {
        Path adapter = adamRun.resolve("adapter");
        Result r = run("evaluate", "--adapter", adapter.toString(), "--config", config.toString());
        assertEquals(2, r.code(), r.out());
        assertEquals(
                "rankwise: "
                        + adapter.resolve("adapter_config.json")
                        + ": peft_type is LORA; the model has adapter.kind adalora (accepted: ADALORA;"
                        + " --set adapter.kind=lora reads this folder)",
                r.err().trim());
        // LoRA, but another rank than the folder's r.
        Result other =
                run(
                        "evaluate",
                        "--adapter",
                        adapter.toString(),
                        "--config",
                        config.toString(),
                        "--set",
                        "adapter.kind=lora",
                        "--set",
                        "adapter.init_r=4");
        assertEquals(2, other.code(), other.out());
        assertTrue(
                other.err()
                        .contains(
                                "adapter_config.json: r is 3; the model has adapter.init_r 4"
                                        + " (accepted: the same; --set adapter.init_r=3)"),
                other.err());
    }

    @Test
    void anIvonLoraRunsPosteriorIsSampled() throws IOException {
        Map<String, Double> mean = evaluate("ivon-mean", "--run-dir", ivonRun.toString());
        Map<String, Double> sampled =
                evaluate(
                        "ivon-s", "--run-dir", ivonRun.toString(), "--samples", "4", "--seed", "7");
        assertEquals(mean.keySet(), sampled.keySet());
        assertNotEquals(mean.get("nll"), sampled.get("nll"), "4 posterior draws are not the mean");
        assertTrue(Files.isRegularFile(ivonRun.resolve("adapter/adapter_config.json")));
    }
}
