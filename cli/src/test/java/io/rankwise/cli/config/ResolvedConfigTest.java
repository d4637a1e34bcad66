package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.models.data.GlueTask;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.training.spec.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolved config: every default filled in, written as YAML that reads back to an equal record.
 */
class ResolvedConfigTest {

    /** Every section away from its defaults, with the value shapes that could go wrong in YAML. */
    private static final String EVERYTHING =
            """
            run: {name: '123', output_dir: out/runs, seed: -1, log_every: 1, eval_every: 5, checkpoint_every: 0}
            backend: {name: tensorflow, device: CUDA:1}
            model: {source: /models/bert base, max_length: 512, pooling: cls, dropout: 0, dtype: float64}
            adapter: {kind: lora, init_r: 3, lora_alpha: 0.5, lora_dropout: 0.05, target_modules: 'query,value'}
            allocator: {name: adalora, options: {target_r: 5, tinit: 0, tfinal: 0, delta_t: 1, orth_reg_weight: 0.3}}
            optimizer:
              name: ivon
              options: {lr: 1e-3, ess: auto, hess_init: 1, debias: true, weight_decay: 1.0e-8, seed: '0042', noise: HOST}
            metric: {name: sensitivity, options: {beta1: 0.8}}
            task: {name: GLUE:STS-B, data_dir: /data/glue, max_train: 0, max_eval: 0, skip_bad_rows: true}
            training:
              epochs: 3
              max_steps: 1000
              batch_size: 32
              grad_accumulation: 2
              lr_schedule: {kind: constant_then_decay, hold_steps: 500, lr_high: 2.0}
              test_samples: 16
            ablation:
              backends: [djl, tensorflow]
              pairs:
                - adam+snr-abs
                - {optimizer: ivon, metric: sensitivity, optimizer_options: {lr: '0.2', debias: 'false'}, metric_options: {beta2: '0.9'}}
              seeds: [1, 2, 3]
              tasks: [glue:rte, spam-assassin]
            """;

    @Test
    void emptyYamlGivesTheDocumentedDefaults() {
        RankwiseConfig c = ConfigLoader.parse("", List.of());
        assertEquals(new RunConfig("", Path.of("runs"), 42, 10, 0, 50), c.run());
        assertEquals(new BackendConfig("", Device.auto()), c.backend());
        assertEquals(
                new ModelConfig(
                        ModelConfig.EMBEDDED_MINILM, 128, Pooling.POOLER, 0.1, DType.FLOAT32),
                c.model());
        assertEquals(
                new AdapterConfig(
                        AdapterKind.ADALORA,
                        6,
                        12,
                        List.of(
                                "query",
                                "key",
                                "value",
                                "attention.output.dense",
                                "intermediate.dense",
                                "output.dense"),
                        0.0),
                c.adapter());
        // The plugin sections hold every option their plugin declares, with the declared defaults.
        assertEquals(
                new PluginConfig(
                        "adalora",
                        Map.of(
                                "target_r",
                                4,
                                "tinit",
                                10L,
                                "tfinal",
                                20L,
                                "delta_t",
                                5L,
                                "orth_reg_weight",
                                0.1)),
                c.allocator());
        assertEquals(
                new PluginConfig(
                        "adam",
                        Map.of(
                                "lr",
                                0.001,
                                "beta1",
                                0.9,
                                "beta2",
                                0.999,
                                "eps",
                                1e-8,
                                "weight_decay",
                                0.0)),
                c.optimizer());
        assertEquals(
                new PluginConfig("sensitivity", Map.of("beta1", 0.85, "beta2", 0.85)), c.metric());
        assertEquals(
                new TaskConfig("spam-assassin", Path.of("glue_data"), 1024, 256, false), c.task());
        assertEquals(new TrainingConfig(1, 0, 16, 1, new LrSchedule.Linear(0), 0), c.training());
        assertEquals(
                new AblationConfig(List.of(), List.of(), List.of(42L), List.of()), c.ablation());
    }

    @Test
    void valuesAreReadAsWritten() {
        RankwiseConfig c = ConfigLoader.parse(EVERYTHING, List.of());
        assertEquals(Device.gpu(1), c.backend().device());
        assertEquals("glue:sts-b", c.task().name());
        assertEquals(GlueTask.STS_B, c.task().glueTask().orElseThrow());
        assertEquals(List.of("query", "value"), c.adapter().targetModules());
        assertEquals(0.05, c.adapter().loraDropout());
        // Option values take their declared types: a quoted number is a number, a choice is matched
        // without case.
        assertEquals(42L, c.optimizer().options().get("seed"));
        assertEquals(0.001, c.optimizer().options().get("lr"));
        assertEquals(1.0, c.optimizer().options().get("hess_init"));
        assertEquals("host", c.optimizer().options().get("noise"));
        assertEquals("auto", c.optimizer().options().get("ess"));
        assertEquals(0L, c.allocator().options().get("tinit"));
        assertEquals(new LrSchedule.ConstantThenDecay(500, 2.0), c.training().lrSchedule());
        assertEquals(List.of(1L, 2L, 3L), c.ablation().seeds());
        // Laid over the sections' options (same plugins): only the pair's own, typed.
        assertEquals(
                new AblationPair(
                        "ivon",
                        "sensitivity",
                        Map.of("lr", 0.2, "debias", false),
                        Map.of("beta2", 0.9)),
                c.ablation().pairs().get(1));
        // Standing alone (other plugins): complete.
        assertEquals(
                new AblationPair(
                        "adam",
                        "snr-abs",
                        Map.of(
                                "lr",
                                0.001,
                                "beta1",
                                0.9,
                                "beta2",
                                0.999,
                                "eps",
                                1e-8,
                                "weight_decay",
                                0.0),
                        Map.of()),
                c.ablation().pairs().get(0));
        assertEquals(1000, c.training().totalSteps(10));
    }

    @Test
    void exponentNumbersAndQuotedNumbersAreNumbers() {
        RankwiseConfig c =
                ConfigLoader.parse(
                        """
                model: {dropout: '0.2'}
                training: {batch_size: '8', lr_schedule: {kind: constant_then_decay, lr_high: 1e-3}}
                """,
                        List.of());
        assertEquals(0.2, c.model().dropout());
        assertEquals(8, c.training().batchSize());
        assertEquals(new LrSchedule.ConstantThenDecay(500, 1e-3), c.training().lrSchedule());
    }

    @Test
    void writtenYamlReadsBackEqual() {
        for (RankwiseConfig c :
                List.of(
                        ConfigLoader.parse("", List.of()),
                        ConfigLoader.parse(EVERYTHING, List.of()),
                        ConfigLoader.defaultTrain(List.of()),
                        ConfigLoader.defaultAblate(List.of()),
                        ConfigLoader.parse(
                                "training:\n  lr_schedule: {kind: constant}\n", List.of()))) {
            String yaml = ConfigLoader.toYaml(c);
            RankwiseConfig back = ConfigLoader.parse(yaml, List.of());
            assertEquals(c, back, yaml);
            assertEquals(yaml, ConfigLoader.toYaml(back));
        }
    }

    @Test
    void writtenYamlListsEveryDocumentedKey() {
        String yaml = ConfigLoader.toYaml(ConfigLoader.parse(EVERYTHING, List.of()));
        for (String path : ConfigDocs.paths()) {
            String key = path.substring(path.lastIndexOf('.') + 1);
            // Keys of other schedule kinds are left out on purpose: they do not apply.
            if (!key.equals("warmup_steps")) {
                assertTrue(yaml.contains(key + ":"), path + " in\n" + yaml);
            }
        }
    }

    @Test
    void writeIsAtomicAndLoadReadsItBack(@TempDir Path dir) throws IOException {
        RankwiseConfig c = ConfigLoader.defaultAblate(List.of("run.seed=9"));
        Path file = dir.resolve("run/config.yaml");
        ConfigLoader.write(c, file);
        assertEquals(c, ConfigLoader.load(file, List.of()));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList()); // no temporary file left behind
        }
    }

    @Test
    void ablationCellsLayPairOptionsOverTheSectionsOnlyForTheSamePlugin() {
        RankwiseConfig c =
                ConfigLoader.parse(
                        """
                optimizer: {name: ivon, options: {lr: 0.4, ess: auto}}
                metric: {name: snr}
                ablation:
                  backends: [djl, tensorflow]
                  pairs:
                    - {optimizer: adam, metric: sensitivity, optimizer_options: {lr: 1e-3}}
                    - {optimizer: ivon, metric: snr, optimizer_options: {lr: 0.2}}
                  seeds: 2
                """,
                        List.of());
        List<AblationCell> cells = c.ablationCells();
        assertEquals(8, cells.size());
        AblationCell first = cells.get(0);
        assertEquals("spam-assassin_djl_adam+sensitivity_seed42", first.id());
        assertEquals(
                new PluginConfig(
                        "adam",
                        Map.of(
                                "lr",
                                0.001,
                                "beta1",
                                0.9,
                                "beta2",
                                0.999,
                                "eps",
                                1e-8,
                                "weight_decay",
                                0.0)),
                first.config().optimizer());
        AblationCell ivon = cells.get(3);
        assertEquals("spam-assassin_djl_ivon+snr_seed43", ivon.id());
        assertEquals("ivon", ivon.config().optimizer().name());
        assertEquals(0.2, ivon.config().optimizer().options().get("lr"));
        assertEquals("auto", ivon.config().optimizer().options().get("ess"));
        assertEquals(1.0, ivon.config().optimizer().options().get("hess_init"));
        assertEquals(43, ivon.config().run().seed());
        assertEquals("tensorflow", cells.get(4).config().backend().name());
        assertEquals(List.of(43L), ivon.config().ablation().seeds());
    }

    @Test
    void aLoraPairSetsTheAdapterKindOfItsCellsAndKeepsNoMetric() {
        RankwiseConfig c =
                ConfigLoader.parse(
                        """
                optimizer: {name: ivon, options: {lr: 0.4, ess: auto}}
                metric: {name: snr}
                ablation:
                  pairs:
                    - ivon+snr
                    - adapter: lora
                      optimizer: adam
                      optimizer_options:
                        lr: 4.0e-3
                    - lora-ivon
                """,
                        List.of());
        assertEquals(
                AblationPair.lora(
                        "adam",
                        Map.of(
                                "lr",
                                0.004,
                                "beta1",
                                0.9,
                                "beta2",
                                0.999,
                                "eps",
                                1e-8,
                                "weight_decay",
                                0.0)),
                c.ablation().pairs().get(1));
        assertEquals(AblationPair.lora("ivon", Map.of()), c.ablation().pairs().get(2));
        List<AblationCell> cells = c.ablationCells();
        assertEquals(
                List.of(
                        "spam-assassin_default_ivon+snr_seed42",
                        "spam-assassin_default_lora-adam_seed42",
                        "spam-assassin_default_lora-ivon_seed42"),
                cells.stream().map(AblationCell::id).toList());
        assertEquals(AdapterKind.ADALORA, cells.get(0).config().adapter().kind());
        RankwiseConfig lora = cells.get(1).config();
        assertEquals(AdapterKind.LORA, lora.adapter().kind());
        assertEquals("adam", lora.optimizer().name());
        assertEquals(0.004, lora.optimizer().options().get("lr"));
        // The metric section stays as written; a LoRA run does not use it.
        assertEquals("snr", lora.metric().name());
        RankwiseConfig loraIvon = cells.get(2).config();
        assertEquals(AdapterKind.LORA, loraIvon.adapter().kind());
        assertEquals(0.4, loraIvon.optimizer().options().get("lr"), "the section's ivon options");
        // Written and read back, the LoRA pairs stay LoRA pairs (written without a metric).
        String yaml = ConfigLoader.toYaml(c);
        assertEquals(c, ConfigLoader.parse(yaml, List.of()), yaml);
        assertTrue(yaml.contains("adapter: \"lora\"") || yaml.contains("adapter: lora"), yaml);
    }

    @Test
    void aLoraConfigWithoutAGridIsOneLoraCell() {
        RankwiseConfig c =
                ConfigLoader.defaultTrain(List.of("adapter.kind=lora", "optimizer.name=ivon"));
        List<AblationCell> cells = c.ablationCells();
        assertEquals(1, cells.size());
        assertEquals("spam-assassin_default_lora-ivon_seed42", cells.get(0).id());
        assertEquals(c, cells.get(0).config());
    }

    @Test
    void aConfigWithoutAGridIsOneCell() {
        RankwiseConfig c = ConfigLoader.defaultTrain(List.of());
        List<AblationCell> cells = c.ablationCells();
        assertEquals(1, cells.size());
        assertEquals("spam-assassin_default_ivon+snr_seed42", cells.get(0).id());
        assertEquals(c, cells.get(0).config());
    }
}
