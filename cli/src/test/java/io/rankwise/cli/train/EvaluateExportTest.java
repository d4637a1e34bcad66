package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.cli.Main;
import io.rankwise.cli.report.EvalEntry;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.training.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankwise evaluate} and {@code rankwise export} as a user runs them, on two tiny runs
 * trained once (IVON + snr and Adam + sensitivity, 8 steps on 64 SpamAssassin mails, djl, with
 * {@code checkpoint_every: 0} so that only the always-written last checkpoint exists).
 */
class EvaluateExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tiny settings of ResumeTest, as a configuration file. */
    private static final String TINY =
            """
            run: {output_dir: %s, name: %s, seed: 11, log_every: 1, eval_every: 0, checkpoint_every: 0}
            backend: {name: djl, device: cpu}
            model: {max_length: 24, pooling: mean, dropout: 0.1}
            adapter: {init_r: 3, lora_alpha: 6, target_modules: [query, value]}
            allocator: {name: adalora, options: {target_r: 2, tinit: 2, tfinal: 2, delta_t: 2, orth_reg_weight: 0.1}}
            optimizer: %s
            metric: {name: %s}
            task: {name: spam-assassin, max_train: 64, max_eval: 16}
            training: {epochs: 1, batch_size: 8, lr_schedule: {kind: linear, warmup_steps: 2}}
            """;

    @TempDir static Path tmp;

    private static Path ivonRun;
    private static Path adamRun;

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

    private static Path train(String name, String optimizer, String metric) throws IOException {
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(config, TINY.formatted(tmp.resolve("runs"), name, optimizer, metric));
        Result r = run("train", "--config", config.toString());
        assertEquals(0, r.code(), r.err());
        return tmp.resolve("runs").resolve(name);
    }

    @BeforeAll
    static void trainTwoRuns() throws IOException {
        ivonRun =
                train(
                        "ivon",
                        "{name: ivon, options: {lr: 0.05, ess: auto, hess_init: 0.5, seed: 5}}",
                        "snr");
        adamRun = train("adam", "{name: adam, options: {lr: 0.01}}", "sensitivity");
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
    void aRunWithCheckpointEveryZeroKeepsItsLastStep() throws IOException {
        assertTrue(
                Files.isRegularFile(Checkpoint.file(ivonRun)),
                "checkpoint/state.bin of the finished run");
        assertEquals(8, Checkpoint.read(ivonRun).step());
    }

    @Test
    void evaluateAtTheMeanReproducesTheRunsFinalEvaluation() throws IOException {
        List<EvalEntry> evals = MetricsLog.read(ivonRun.resolve(MetricsLog.FILE_NAME)).evals();
        EvalEntry last = evals.get(evals.size() - 1);
        Path json = tmp.resolve("mean.json");
        Result r = run("evaluate", "--run-dir", ivonRun.toString(), "--out", json.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(last.values(), metrics(json), "the logged final evaluation, exactly");
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("dev", report.get("split").asText());
        assertEquals(16, report.get("examples").asInt());
        assertEquals(0, report.get("samples").asInt());
        assertEquals(8, report.get("step").asInt());
        String table = r.out();
        assertTrue(
                table.contains("split  examples  samples  accuracy")
                        && table.contains("nll")
                        && table.contains("brier")
                        && table.contains("ece"),
                table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("dev    16        0")), table);
    }

    @Test
    void posteriorSamplesDifferFromTheMeanAndRepeatWithTheSameSeed() throws IOException {
        Map<String, Double> mean = evaluate("m", "--run-dir", ivonRun.toString());
        Map<String, Double> first =
                evaluate("s1", "--run-dir", ivonRun.toString(), "--samples", "4", "--seed", "7");
        Map<String, Double> again =
                evaluate("s2", "--run-dir", ivonRun.toString(), "--samples", "4", "--seed", "7");
        Map<String, Double> other =
                evaluate("s3", "--run-dir", ivonRun.toString(), "--samples", "4", "--seed", "8");
        assertEquals(first, again, "the same seed draws the same weights");
        assertNotEquals(mean.get("nll"), first.get("nll"), "4 posterior draws are not the mean");
        assertNotEquals(first.get("nll"), other.get("nll"), "another seed, other draws");
        assertEquals(mean.keySet(), first.keySet());
    }

    @Test
    void exportThenEvaluateAdapterGivesTheMetricsOfTheRunAtTheMean() throws IOException {
        Path peft = tmp.resolve("peft");
        Result export = run("export", "--run-dir", ivonRun.toString(), "--out", peft.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("from the checkpoint of step 8 of 8"), export.out());
        Map<String, Double> fromRun = evaluate("run-mean", "--run-dir", ivonRun.toString());
        Map<String, Double> fromPeft =
                evaluate(
                        "peft-mean",
                        "--adapter",
                        peft.toString(),
                        "--config",
                        ivonRun.resolve("config.yaml").toString());
        assertEquals(fromRun, fromPeft, "adapters and head survive the PEFT files exactly");

        Result again = run("export", "--run-dir", ivonRun.toString(), "--out", peft.toString());
        assertEquals(2, again.code());
        assertEquals(
                "rankwise: --out "
                        + peft
                        + " is not empty; accepted: a new or empty folder, or --force to replace its"
                        + " adapter_config.json and adapter_model.safetensors",
                again.err().trim());
        assertEquals(
                0,
                run("export", "--run-dir", ivonRun.toString(), "--out", peft.toString(), "--force")
                        .code());
    }

    @Test
    void exportFromTheCheckpointWritesWhatTrainingWrote() throws IOException {
        // A run folder reduced to what a killed run leaves: its config and checkpoint.
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy.resolve("checkpoint"));
        Files.copy(ivonRun.resolve("config.yaml"), copy.resolve("config.yaml"));
        Files.copy(Checkpoint.file(ivonRun), Checkpoint.file(copy));
        Result r = run("export", "--run-dir", copy.toString());
        assertEquals(0, r.code(), r.err());
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            assertArrayEquals(
                    Files.readAllBytes(ivonRun.resolve("adapter").resolve(file)),
                    Files.readAllBytes(copy.resolve("adapter").resolve(file)),
                    file);
        }
    }

    @Test
    void exportedKeysAndShapesFollowPeftPrunedToTheSurvivingRanks() throws IOException {
        Path adapter = ivonRun.resolve("adapter");
        JsonNode config = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        assertEquals("ADALORA", config.get("peft_type").asText());
        assertEquals("[\"classifier\"]", config.get("modules_to_save").toString());
        Pattern part =
                Pattern.compile(
                        "base_model\\.model\\.bert\\.(encoder\\.layer\\.\\d+\\.attention\\.self\\.(query|value))"
                                + "\\.lora_([ABE])");
        int adapterTensors = 0;
        try (SafetensorsReader reader =
                SafetensorsReader.open(adapter.resolve("adapter_model.safetensors"))) {
            for (SafetensorsEntry e : reader.entries()) {
                Matcher m = part.matcher(e.name());
                if (m.matches()) {
                    JsonNode keep =
                            config.get("rank_pattern").get("bert." + m.group(1) + ".lora_E");
                    int r = 0;
                    for (JsonNode k : keep) {
                        r += k.booleanValue() ? 1 : 0;
                    }
                    long[] want =
                            switch (m.group(3)) {
                                case "A" -> new long[] {r, 384};
                                case "B" -> new long[] {384, r};
                                default -> new long[] {r, 1};
                            };
                    assertArrayEquals(
                            want, e.shape(), e.name() + " with " + r + " surviving ranks");
                    adapterTensors++;
                } else if (e.name().equals("base_model.model.classifier.weight")) {
                    assertArrayEquals(
                            new long[] {2, 384}, e.shape(), "torch Linear layout [out, in]");
                } else {
                    assertEquals("base_model.model.classifier.bias", e.name(), "unexpected key");
                    assertArrayEquals(new long[] {2}, e.shape());
                }
            }
        }
        assertEquals(6 * 2 * 3, adapterTensors, "query and value of 6 layers, three parts each");
        // target_r 2 of init_r 3: the budget keeps 2 triplets per module on average.
        int surviving = 0;
        for (JsonNode keep : config.get("rank_pattern")) {
            for (JsonNode k : keep) {
                surviving += k.booleanValue() ? 1 : 0;
            }
        }
        assertEquals(24, surviving);
    }

    @Test
    void anotherBackendEvaluatesTheSameCheckpointAlike() throws IOException {
        Map<String, Double> djl = evaluate("djl", "--run-dir", ivonRun.toString());
        Map<String, Double> tf =
                evaluate("tf", "--run-dir", ivonRun.toString(), "--set", "backend.name=tensorflow");
        assertEquals(djl.keySet(), tf.keySet());
        djl.forEach((k, v) -> assertEquals(v, tf.get(k), 1e-4, k));
    }

    // ---- bad input: exit 2, a message naming it, nothing written ----

    private static void assertRefused(String expectedMessage, String... args) {
        Path json = tmp.resolve("refused.json");
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--out", json.toString()));
        Result r = run(all.toArray(String[]::new));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expectedMessage), r.err());
        assertFalse(Files.exists(json), "nothing written");
    }

    @Test
    void missingRunFolderIsRefused() {
        Path nowhere = tmp.resolve("nowhere");
        assertRefused(
                "rankwise: --run-dir "
                        + nowhere
                        + " does not exist; accepted: a run folder written by rankwise train or"
                        + " ablate (config.yaml, checkpoint/state.bin)",
                "evaluate",
                "--run-dir",
                nowhere.toString());
    }

    @Test
    void runFolderWithoutCheckpointIsRefused() throws IOException {
        Path noCheckpoint = tmp.resolve("no-checkpoint");
        Files.createDirectories(noCheckpoint);
        Files.copy(ivonRun.resolve("config.yaml"), noCheckpoint.resolve("config.yaml"));
        assertRefused(
                "rankwise: --run-dir "
                        + noCheckpoint
                        + " has no checkpoint: "
                        + Checkpoint.file(noCheckpoint)
                        + " does not exist",
                "evaluate",
                "--run-dir",
                noCheckpoint.toString());
        assertRefused("has no checkpoint", "export", "--run-dir", noCheckpoint.toString());
        assertFalse(Files.exists(noCheckpoint.resolve("adapter")), "export wrote nothing");
    }

    @Test
    void corruptedCheckpointIsRefused() throws IOException {
        Path corrupted = tmp.resolve("corrupted");
        Files.createDirectories(corrupted.resolve("checkpoint"));
        Files.copy(ivonRun.resolve("config.yaml"), corrupted.resolve("config.yaml"));
        byte[] bytes = Files.readAllBytes(Checkpoint.file(ivonRun));
        Files.write(Checkpoint.file(corrupted), Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(
                Checkpoint.file(corrupted) + " is truncated",
                "evaluate",
                "--run-dir",
                corrupted.toString());
    }

    // ---- corrupted files: detected before anything is computed, one line, exit 2 ----

    /** A copy of the IVON run's config.yaml and metrics.jsonl with {@code checkpoint} bytes. */
    private static Path runWithCheckpoint(String name, byte[] checkpoint) throws IOException {
        Path folder = tmp.resolve(name);
        Files.createDirectories(folder.resolve("checkpoint"));
        Files.copy(ivonRun.resolve("config.yaml"), folder.resolve("config.yaml"));
        Files.copy(ivonRun.resolve(MetricsLog.FILE_NAME), folder.resolve(MetricsLog.FILE_NAME));
        Files.write(Checkpoint.file(folder), checkpoint);
        return folder;
    }

    /** The run's checkpoint with one bit of its first stored double flipped. */
    private static byte[] flippedFirstDouble(int byteOfDouble, int mask) throws IOException {
        byte[] bytes = Files.readAllBytes(Checkpoint.file(ivonRun));
        // Format 2: a 64-byte header, the variable count, then the first name and its length.
        int name = 64 + 4;
        int nameLength = ((bytes[name] & 0xff) << 8) | (bytes[name + 1] & 0xff);
        bytes[name + 2 + nameLength + 4 + byteOfDouble] ^= (byte) mask;
        return bytes;
    }

    /** Exit code 2 and exactly one line on stderr, {@code rankwise: <file> <what>...}. */
    private static String assertOneLine(Result r, Path file, String what) {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + r.err());
        assertTrue(lines.get(0).startsWith("rankwise: " + file + what), r.err());
        return lines.get(0);
    }

    @Test
    void evaluateAndExportRefuseACheckpointWithAFlippedMantissaBit() throws IOException {
        // The lowest bit of a stored double, which evaluate used to load silently.
        Path folder = runWithCheckpoint("mantissa", flippedFirstDouble(7, 0x01));
        String line =
                assertOneLine(
                        run("evaluate", "--run-dir", folder.toString()),
                        Checkpoint.file(folder),
                        " is corrupted: checksum mismatch (stored CRC32C ");
        assertTrue(line.matches(".*stored CRC32C [0-9a-f]{8}, computed [0-9a-f]{8}\\).*"), line);
        assertOneLine(
                run("export", "--run-dir", folder.toString()),
                Checkpoint.file(folder),
                " is corrupted: checksum mismatch");
        assertFalse(Files.exists(folder.resolve("adapter")), "export wrote nothing");
    }

    @Test
    void evaluateRefusesAFlippedExponentBitBeforeComputingAnything() throws IOException {
        // Used to fail later with "probabilities[0][0] = NaN".
        Path folder = runWithCheckpoint("exponent", flippedFirstDouble(0, 0x40));
        Result r = run("evaluate", "--run-dir", folder.toString());
        assertOneLine(r, Checkpoint.file(folder), " is corrupted: checksum mismatch");
        assertFalse(r.out().contains("split"), "no table: " + r.out());
    }

    @Test
    void evaluateRefusesAnotherRunsCheckpoint() throws IOException {
        Path folder = runWithCheckpoint("foreign", Files.readAllBytes(Checkpoint.file(adamRun)));
        assertOneLine(
                run("evaluate", "--run-dir", folder.toString()),
                Checkpoint.file(folder),
                " belongs to another run: it was written for the configuration with hash ");
    }

    @Test
    void resumeFromATruncatedCheckpointIsOneLine() throws IOException {
        byte[] bytes = Files.readAllBytes(Checkpoint.file(ivonRun));
        Path folder = runWithCheckpoint("truncated", Arrays.copyOf(bytes, bytes.length - 1000));
        assertOneLine(
                run("train", "--resume", "--run-dir", folder.toString()),
                Checkpoint.file(folder),
                " is truncated: it has " + (bytes.length - 1000) + " bytes");
        assertFalse(Files.exists(folder.resolve("rank_pattern.json")), "nothing retrained");
    }

    @Test
    void resumeRefusesAFinishedRunsCheckpointWithAnEditedStepAndAnotherRunsOne()
            throws IOException {
        // Step 8 -> 5 (header offset 48): used to retrain steps 6-8 over the finished run.
        byte[] bytes = Files.readAllBytes(Checkpoint.file(ivonRun));
        bytes[48 + 7] = 5;
        Path edited = runWithCheckpoint("step5", bytes);
        assertOneLine(
                run("train", "--resume", "--run-dir", edited.toString()),
                Checkpoint.file(edited),
                " is corrupted: checksum mismatch");
        assertEquals(
                Files.readAllLines(ivonRun.resolve(MetricsLog.FILE_NAME)),
                Files.readAllLines(edited.resolve(MetricsLog.FILE_NAME)),
                "the finished run's log is untouched");
        Path foreign =
                runWithCheckpoint("resume-foreign", Files.readAllBytes(Checkpoint.file(adamRun)));
        assertOneLine(
                run("train", "--resume", "--run-dir", foreign.toString()),
                Checkpoint.file(foreign),
                " belongs to another run");
    }

    @Test
    void evaluateAdapterRefusesAnExportedFileWithAFlippedBit() throws IOException {
        Path peft = tmp.resolve("peft-flipped");
        assertEquals(
                0, run("export", "--run-dir", ivonRun.toString(), "--out", peft.toString()).code());
        Path weights = peft.resolve("adapter_model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 4] ^= 1;
        Files.write(weights, bytes);
        String line =
                assertOneLine(
                        run(
                                "evaluate",
                                "--adapter",
                                peft.toString(),
                                "--config",
                                ivonRun.resolve("config.yaml").toString()),
                        weights,
                        ": corrupted: its SHA-256 is ");
        assertTrue(line.contains("digest.sha256 recorded "), line);
    }

    @Test
    void samplesOnAnAdamRunAreRefused() {
        assertRefused(
                "rankwise: --samples is 2, but the run in "
                        + adamRun
                        + " was trained with optimizer adam, which has no"
                        + " posterior to sample; only ivon runs have one (accepted: --samples 0)",
                "evaluate",
                "--run-dir",
                adamRun.toString(),
                "--samples",
                "2");
    }

    @Test
    void samplesOnAnAdapterFolderAreRefused() {
        assertRefused(
                "rankwise: --samples is 2, but --adapter "
                        + ivonRun.resolve("adapter")
                        + " holds weights only, no"
                        + " posterior to sample",
                "evaluate",
                "--adapter",
                ivonRun.resolve("adapter").toString(),
                "--samples",
                "2");
    }

    @Test
    void adapterThatDoesNotFitTheModelIsRefusedNamingFileAndKey() {
        Path adapter = ivonRun.resolve("adapter");
        // The embedded default-train.yaml has init_r 6; the run's adapter has 3.
        assertRefused(
                "rankwise: "
                        + adapter.resolve("adapter_config.json")
                        + ": init_r is 3; the model has adapter.init_r 6",
                "evaluate",
                "--adapter",
                adapter.toString());
        // Same init_r and alpha, but the model adapts key too.
        assertRefused(
                "rankwise: "
                        + adapter.resolve("adapter_model.safetensors")
                        + ": no 'base_model.model.bert.encoder.layer.0.attention.self.key.lora_A', but the model adapts",
                "evaluate",
                "--adapter",
                adapter.toString(),
                "--config",
                ivonRun.resolve("config.yaml").toString(),
                "--set",
                "adapter.target_modules=query,key,value");
    }
}
