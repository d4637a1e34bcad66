package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.cli.Main;
import io.rankwise.cli.report.EvalEntry;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.testing.EncoderFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a researcher who brings a Hugging Face checkpoint folder and the GLUE download does, on the
 * small random-weight RoBERTa and BERT checkpoints of {@link EncoderFixtures}: {@code train} on
 * STS-B (a regression: the MSE head, Pearson and Spearman) and on MNLI (its two dev sets), with the
 * family's Hugging Face head, then {@code evaluate --adapter} on the exported PEFT folder, which
 * must give the run's own final evaluation back.
 */
class EncoderFamiliesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONFIG =
            """
            run: {output_dir: %s, name: %s, seed: 3, log_every: 1, eval_every: 0, checkpoint_every: 0}
            backend: {name: %s, device: cpu}
            model: {source: %s, max_length: 20, pooling: pooler, dropout: 0.1}
            adapter: {init_r: 3, lora_alpha: 6, target_modules: %s}
            allocator: {name: adalora, options: {target_r: 2, tinit: 2, tfinal: 2, delta_t: 2, orth_reg_weight: 0.1}}
            optimizer: {name: adam, options: {lr: 0.01}}
            metric: {name: sensitivity}
            task: {name: %s, data_dir: %s, max_train: 32, max_eval: 16}
            training: {epochs: 2, batch_size: 8, lr_schedule: {kind: linear, warmup_steps: 1}}
            """;

    private static final List<String> WORDS =
            List.of("the", "cat", "sat", "on", "mat", "a", "red", "door", "ran", "away", "big");

    @TempDir static Path tmp;
    private static Path glue;

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

    private static String sentence(Random random) {
        List<String> words = new ArrayList<>();
        for (int i = 0, n = 3 + random.nextInt(6); i < n; i++) {
            words.add(WORDS.get(random.nextInt(WORDS.size())));
        }
        return String.join(" ", words) + ".";
    }

    /** A TSV of {@code rows} sentence pairs with a header naming the columns GLUE names. */
    private static void tsv(
            Path file, String labelColumn, int rows, Random random, List<String> labels)
            throws IOException {
        StringBuilder s = new StringBuilder("index\tsentence1\tsentence2\t" + labelColumn + "\n");
        for (int i = 0; i < rows; i++) {
            String label =
                    labels.isEmpty()
                            ? String.format(java.util.Locale.ROOT, "%.2f", 5 * random.nextDouble())
                            : labels.get(random.nextInt(labels.size()));
            s.append(i)
                    .append('\t')
                    .append(sentence(random))
                    .append('\t')
                    .append(sentence(random))
                    .append('\t')
                    .append(label)
                    .append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, s);
    }

    @BeforeAll
    static void glueDownload() throws IOException {
        glue = tmp.resolve("glue_data");
        Random random = new Random(1);
        tsv(glue.resolve("STS-B/train.tsv"), "score", 40, random, List.of());
        tsv(glue.resolve("STS-B/dev.tsv"), "score", 16, random, List.of());
        List<String> nli = List.of("contradiction", "entailment", "neutral");
        tsv(glue.resolve("MNLI/train.tsv"), "gold_label", 40, random, nli);
        tsv(glue.resolve("MNLI/dev_matched.tsv"), "gold_label", 16, random, nli);
        tsv(glue.resolve("MNLI/dev_mismatched.tsv"), "gold_label", 16, random, nli);
        List<String> rte = List.of("entailment", "not_entailment");
        tsv(glue.resolve("RTE/train.tsv"), "label", 40, random, rte);
        tsv(glue.resolve("RTE/dev.tsv"), "label", 16, random, rte);
    }

    /** Trains and returns the run folder. */
    private static Path train(String fixture, String backend, String task) throws IOException {
        return train(fixture, backend, task, "adalora");
    }

    private static Path train(String fixture, String backend, String task, String kind)
            throws IOException {
        String targets =
                fixture.startsWith("deberta")
                        ? "[query_proj, key_proj, value_proj, attention.output.dense,"
                                + " intermediate.dense, output.dense]"
                        : "[query, key, value, attention.output.dense, intermediate.dense,"
                                + " output.dense]";
        String name = fixture + "-" + task.replace(':', '-') + "-" + kind;
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(
                config,
                CONFIG.formatted(
                        tmp.resolve("runs"),
                        name,
                        backend,
                        EncoderFixtures.folder(fixture),
                        targets,
                        task,
                        glue));
        Result r = run("train", "--config", config.toString(), "--set", "adapter.kind=" + kind);
        assertEquals(0, r.code(), r.out() + r.err());
        return tmp.resolve("runs").resolve(name);
    }

    /** The final evaluation of each split, as metrics.jsonl logged it. */
    private static Map<String, Map<String, Double>> finalEvaluations(Path run) throws IOException {
        return MetricsLog.read(run.resolve(MetricsLog.FILE_NAME)).evals().stream()
                .collect(
                        Collectors.toMap(
                                EvalEntry::split, EvalEntry::values, (first, last) -> last));
    }

    private static Set<String> keys(Path adapter) throws IOException {
        try (SafetensorsReader reader =
                SafetensorsReader.open(adapter.resolve("adapter_model.safetensors"))) {
            return new TreeSet<>(reader.names());
        }
    }

    @Test
    void robertaOnStsbRegressesWithPearsonAndSpearmanAndItsExportEvaluatesTheSame()
            throws IOException {
        Path run = train("roberta", "djl", "glue:sts-b");
        Map<String, Double> dev = finalEvaluations(run).get("dev");
        assertTrue(
                dev.containsKey("pearson") && dev.containsKey("spearman"),
                "STS-B's metrics: " + dev);
        assertTrue(Double.isFinite(dev.get("pearson")), dev.toString());

        Path adapter = run.resolve("adapter");
        JsonNode config = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        assertEquals("[\"classifier\"]", config.get("modules_to_save").toString());
        JsonNode inputs = JSON.readTree(adapter.resolve("rankwise_inputs.json").toFile());
        assertEquals("roberta", inputs.get("model_type").asText());
        assertEquals("pooler", inputs.get("pooling").asText());
        assertEquals(20, inputs.get("max_length").asInt());
        Set<String> keys = keys(adapter);
        assertTrue(
                keys.contains("base_model.model.classifier.dense.weight")
                        && keys.contains("base_model.model.classifier.out_proj.bias"),
                "RobertaClassificationHead's keys: " + keys);
        assertTrue(
                keys.contains(
                        "base_model.model.roberta.encoder.layer.1.attention.self.query.lora_A"),
                "the encoder under roberta.: " + keys);

        assertImportGivesTheRunsEvaluation(run, dev);
    }

    /** {@code evaluate --adapter} on the run's exported folder gives its final evaluation. */
    private static void assertImportGivesTheRunsEvaluation(Path run, Map<String, Double> dev)
            throws IOException {
        Path json = tmp.resolve(run.getFileName() + "-import.json");
        Result r =
                run(
                        "evaluate",
                        "--config",
                        run.resolve("config.yaml").toString(),
                        "--adapter",
                        run.resolve("adapter").toString(),
                        "--out",
                        json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode report = JSON.readTree(json.toFile());
        // Float32 files hold what the run held in float32: the same numbers.
        report.get("metrics")
                .fields()
                .forEachRemaining(
                        e ->
                                assertEquals(
                                        dev.get(e.getKey()),
                                        e.getValue().doubleValue(),
                                        1e-6,
                                        e.getKey()));
    }

    /** Plain LoRA (the paper's baseline) on RoBERTa and DeBERTa: PEFT's LoRA keys, re-imported. */
    @Test
    void loraOnRobertaAndDebertaTrainsExportsAndReimports() throws IOException {
        for (String fixture : List.of("roberta", "deberta-v2")) {
            Path run = train(fixture, "djl", "glue:rte", "lora");
            Map<String, Double> dev = finalEvaluations(run).get("dev");
            JsonNode config =
                    JSON.readTree(run.resolve("adapter").resolve("adapter_config.json").toFile());
            assertEquals("LORA", config.get("peft_type").asText());
            String attribute = fixture.startsWith("deberta") ? "deberta" : "roberta";
            String query = fixture.startsWith("deberta") ? "query_proj" : "query";
            Set<String> keys = keys(run.resolve("adapter"));
            assertTrue(
                    keys.contains(
                            "base_model.model."
                                    + attribute
                                    + ".encoder.layer.0.attention.self."
                                    + query
                                    + ".lora_A.weight"),
                    fixture + ": " + keys);
            assertImportGivesTheRunsEvaluation(run, dev);
        }
    }

    @Test
    void debertaOnRteTrainsExportsUnderDebertaKeysAndReimports() throws IOException {
        Path run = train("deberta-v2", "tensorflow", "glue:rte");
        Map<String, Double> dev = finalEvaluations(run).get("dev");
        assertTrue(dev.containsKey("accuracy"), dev.toString());
        Set<String> keys = keys(run.resolve("adapter"));
        assertTrue(
                keys.contains(
                                "base_model.model.deberta.encoder.layer.0.attention.self.query_proj.lora_A")
                        && keys.contains("base_model.model.pooler.dense.weight")
                        && keys.contains("base_model.model.classifier.bias"),
                "DebertaV2ForSequenceClassification's keys: " + keys);
        assertImportGivesTheRunsEvaluation(run, dev);
    }

    @Test
    void bertOnMnliEvaluatesBothDevSetsWithItsPoolerHead() throws IOException {
        Path run = train("bert", "tensorflow", "glue:mnli");
        Map<String, Map<String, Double>> evals = finalEvaluations(run);
        assertEquals(Set.of("dev_matched", "dev_mismatched"), evals.keySet());
        evals.values().forEach(v -> assertTrue(v.containsKey("accuracy"), v.toString()));
        Set<String> keys = keys(run.resolve("adapter"));
        assertTrue(
                keys.contains("base_model.model.bert.pooler.dense.weight")
                        && keys.contains("base_model.model.classifier.weight"),
                "BertForSequenceClassification's pooler and classifier: " + keys);
        JsonNode config =
                JSON.readTree(run.resolve("adapter").resolve("adapter_config.json").toFile());
        assertEquals("[\"classifier\",\"pooler\"]", config.get("modules_to_save").toString());
    }
}
