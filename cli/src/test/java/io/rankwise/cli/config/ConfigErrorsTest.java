package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error names the key with its path, the value, and what would be accepted: exact texts. */
class ConfigErrorsTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, List.of()))
                .getMessage();
    }

    @Test
    void unknownKeyNamesItsPathSuggestsTheNearMissAndListsTheSectionsKeys() {
        assertEquals(
                "unknown key training.bach_size (did you mean batch_size?); valid keys of training: epochs, max_steps,"
                        + " batch_size, grad_accumulation, lr_schedule, test_samples",
                error("training:\n  bach_size: 32\n"));
    }

    @Test
    void camelCaseOfASnakeCaseKeyIsRecognised() {
        assertEquals(
                "unknown key training.batchSize (did you mean batch_size?); valid keys of training: epochs, max_steps,"
                        + " batch_size, grad_accumulation, lr_schedule, test_samples",
                error("training:\n  batchSize: 10\n"));
    }

    @Test
    void theAllocatorsOldKeysSayWhereTheyMoved() {
        String note =
                "; the allocator is a plugin section like optimizer and metric: allocator: {name: adalora, options:"
                        + " {target_r: 4, tinit: 10, ...}}";
        assertEquals(
                "allocator.target_r has moved to allocator.options.target_r" + note,
                error("allocator:\n  target_r: 4\n"));
        assertEquals(
                "allocator.delta_t has moved to allocator.options.delta_t" + note,
                error("allocator:\n  name: adalora\n  delta_t: 5\n"));
        assertEquals(
                "unknown key allocator.deltaT; valid keys of allocator: name, options",
                error("allocator:\n  deltaT: 10\n"));
    }

    @Test
    void pluginNamesAreCheckedAgainstTheDiscoveredPlugins() {
        assertEquals(
                "optimizer.name is sgd; accepted: an optimizer plugin name: adam, ivon (rankwise plugins lists them and"
                        + " why any failed to load)",
                error("optimizer:\n  name: sgd\n"));
        assertEquals(
                "ablation.pairs[0].metric is snrr; accepted: an importance-metric plugin name: magnitude, mean-abs,"
                        + " sensitivity, snr, snr-abs, variance (rankwise plugins lists them and why any failed to load)",
                error("ablation:\n  pairs: [ivon+snrr]\n"));
    }

    @Test
    void pluginOptionsAreCheckedAgainstTheirDeclarationNamingTheSection() {
        assertEquals(
                "optimizer.options: adam: option 'lr' is -1; accepted: a number >= 0",
                error("optimizer:\n  name: adam\n  options:\n    lr: -1\n"));
        assertEquals(
                "optimizer.options: ivon: option 'clip_radius' is 0; accepted: a number in (0, inf]",
                error("optimizer:\n  name: ivon\n  options:\n    ess: auto\n    clip_radius: 0\n"));
        assertEquals(
                "optimizer.options: ivon: option 'ess' is required (effective sample size λ, usually the training-set"
                        + " size); accepted: a number > 0",
                error("optimizer:\n  name: ivon\n"));
        assertEquals(
                "metric.options: snr: unknown option 'beta1'; snr takes no options (after switching metric.name, clear"
                        + " the previous plugin's options with --set metric.options=null)",
                error("metric:\n  name: snr\n  options:\n    beta1: 0.8\n"));
        assertEquals(
                "ablation.pairs[0].optimizer_options: ivon: option 'ess' is required (effective sample size λ, usually"
                        + " the training-set size); accepted: a number > 0",
                error("ablation:\n  pairs: [ivon+snr]\n"));
        assertEquals(
                "ablation.pairs[0].metric_options: sensitivity: option 'beta1' is 1; accepted: a number in [0, 1)",
                error(
                        "ablation:\n  pairs:\n    - {optimizer: adam, metric: sensitivity, metric_options: {beta1: 1}}\n"));
    }

    @Test
    void unrelatedUnknownKeyGetsNoSuggestion() {
        assertEquals(
                "unknown key model.weights; valid keys of model: source, max_length, pooling, dropout, dtype",
                error("model:\n  weights: x\n"));
    }

    @Test
    void unknownSection() {
        assertEquals(
                "unknown section trainig (did you mean training?); valid sections: run, backend, model, adapter, allocator,"
                        + " optimizer, metric, task, training, ablation",
                error("trainig:\n  epochs: 2\n"));
    }

    @Test
    void unknownKeyInANestedSection() {
        assertEquals(
                "unknown key training.lr_schedule.warmup; valid keys of training.lr_schedule: kind, warmup_steps,"
                        + " hold_steps, lr_high",
                error("training:\n  lr_schedule:\n    warmup: 10\n"));
    }

    @Test
    void unknownKeyInAnAblationPair() {
        assertEquals(
                "unknown key ablation.pairs[1].optimiser (did you mean optimizer?); valid keys of ablation.pairs[1]:"
                        + " adapter, optimizer, metric, optimizer_options, metric_options, lr_schedule",
                error(
                        "ablation:\n  pairs:\n    - adam+snr\n    - {optimiser: adam, metric: sensitivity}\n"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "training:\\n  batch_size: sixteen | training.batch_size is sixteen; accepted: integer >= 1",
                "training:\\n  batch_size: 0 | training.batch_size is 0; accepted: integer >= 1",
                "run:\\n  log_every: 1.5 | run.log_every is 1.5; accepted: integer >= 1",
                "model:\\n  pooling: max | model.pooling is max; accepted: pooler, cls, mean",
                "model:\\n  dtype: int32 | model.dtype is int32; accepted: float32, float64",
                "model:\\n  dropout: 1 | model.dropout is 1; accepted: number in [0, 1)",
                "model:\\n  max_length: 1024 | model.max_length is 1024; accepted: integer in [2, 512]",
                "model:\\n  source: embedded:bert-base | model.source is embedded:bert-base; accepted: embedded:all-minilm-l6-v2 or a"
                        + " Hugging Face checkpoint folder",
                "backend:\\n  device: tpu | backend.device is tpu; accepted: cpu, gpu, gpu:N (N >= 0), auto",
                "adapter:\\n  kind: dora | adapter.kind is dora; accepted: adalora, lora",
                "adapter:\\n  target_modules: [] | adapter.target_modules is []; accepted: a non-empty list of module-name patterns,"
                        + " e.g. [query, value]",
                "adapter:\\n  lora_alpha: -1 | adapter.lora_alpha is -1; accepted: number > 0",
                "adapter:\\n  lora_dropout: 1.5 | adapter.lora_dropout is 1.5; accepted: number in [0, 1)",
                "adapter:\\n  lora_dropout: -0.1 | adapter.lora_dropout is -0.1; accepted: number in [0, 1)",
                "allocator:\\n  options:\\n    target_r: 8 | allocator.options.target_r is 8; accepted: an integer in"
                        + " [1, adapter.init_r] = [1, 6]",
                "allocator:\\n  options:\\n    delta_t: 0 | allocator.options: adalora: option 'delta_t' is 0; accepted: an"
                        + " integer >= 1",
                "allocator:\\n  name: lottery | allocator.name is lottery; accepted: a rank-allocator plugin name: adalora"
                        + " (rankwise plugins lists them and why any failed to load)",
                "task:\\n  name: glue:foo | task.name is glue:foo; accepted: spam-assassin, glue:cola, glue:sst-2, glue:mrpc,"
                        + " glue:qqp, glue:sts-b, glue:mnli, glue:qnli, glue:rte",
                "task:\\n  skip_bad_rows: maybe | task.skip_bad_rows is maybe; accepted: true, false",
                "optimizer:\\n  name: '' | optimizer.name is ''; accepted: an optimizer plugin name (adam, ivon, ...; rankwise"
                        + " plugins lists them)",
                "optimizer:\\n  options:\\n    lr: [1, 2] | optimizer.options.lr is [1,2]; accepted: a number, string or boolean",
                "training:\\n  lr_schedule:\\n    kind: cosine | training.lr_schedule.kind is cosine; accepted: linear,"
                        + " constant_then_decay, constant",
                "training:\\n  lr_schedule:\\n    kind: constant\\n    warmup_steps: 100 | training.lr_schedule.warmup_steps does not"
                        + " apply to kind constant; keys of kind constant: kind",
                "training:\\n  lr_schedule:\\n    kind: constant_then_decay\\n    lr_high: 0 | training.lr_schedule.lr_high is 0;"
                        + " accepted: number > 0",
                "training: 5 | training is 5; accepted: a section with keys epochs, max_steps, batch_size, grad_accumulation,"
                        + " lr_schedule, test_samples",
                "training:\\n  max_steps: 20 | allocator.options.tinit + allocator.options.tfinal is 10 + 20 = 30; accepted: less than"
                        + " training.max_steps = 20 (budgeting needs at least one step)",
                "ablation:\\n  pairs: [ivon] | ablation.pairs[0] is ivon; accepted: optimizer+metric (e.g. ivon+snr),"
                        + " lora-optimizer (e.g. lora-adam) or a section with keys adapter, optimizer, metric,"
                        + " optimizer_options, metric_options, lr_schedule",
                "ablation:\\n  pairs: [lora-] | ablation.pairs[0] is lora-; accepted: optimizer+metric (e.g. ivon+snr),"
                        + " lora-optimizer (e.g. lora-adam) or a section with keys adapter, optimizer, metric,"
                        + " optimizer_options, metric_options, lr_schedule",
                "ablation:\\n  pairs:\\n    - {optimizer: adam} | ablation.pairs[0].metric is missing; accepted: an"
                        + " importance-metric plugin name (or adapter: lora, a LoRA pair, which has none)",
                "ablation:\\n  pairs:\\n    - {adapter: lora, optimizer: adam, metric: snr} | ablation.pairs[0].metric is"
                        + " snr; accepted: nothing: a pair with adapter lora trains plain LoRA at a fixed rank, which has no"
                        + " importance metric; leave metric out",
                "ablation:\\n  pairs:\\n    - {adapter: qlora, optimizer: adam} | ablation.pairs[0].adapter is qlora;"
                        + " accepted: adalora, lora",
                "ablation:\\n  pairs: [lora-sgd] | ablation.pairs[0].optimizer is sgd; accepted: an optimizer plugin"
                        + " name: adam, ivon (rankwise plugins lists them and why any failed to load)",
                "ablation:\\n  seeds: 0 | ablation.seeds is 0; accepted: a count >= 1 (seeds run.seed, run.seed+1, ...) or a"
                        + " non-empty list of integers",
                "ablation:\\n  seeds: [1, two] | ablation.seeds is [1,\"two\"]; accepted: a count >= 1 (seeds run.seed, run.seed+1,"
                        + " ...) or a non-empty list of integers",
                "ablation:\\n  tasks: [spam-assassin, glue:sst2] | ablation.tasks[1] is glue:sst2; accepted: spam-assassin,"
                        + " glue:cola, glue:sst-2, glue:mrpc, glue:qqp, glue:sts-b, glue:mnli, glue:qnli, glue:rte",
                "- run | the configuration is [\"run\"]; accepted: a mapping of sections run, backend, model, adapter, allocator,"
                        + " optimizer, metric, task, training, ablation",
            })
    void badValueNamesKeyValueAndWhatIsAccepted(String yaml, String message) {
        assertEquals(message, error(yaml.replace("\\n", "\n")));
    }

    @Test
    void yamlSyntaxErrorsSayWhere() {
        assertEquals(
                "the configuration is not valid YAML: expected ',' or ']', but got <stream end> (line 2, column 1)",
                error("a: [1\n"));
        assertEquals(
                "the configuration is not valid YAML: Duplicate field 'seed' (line 3, column 7)",
                error("run:\n  seed: 1\n  seed: 2\n"));
    }

    @Test
    void aMissingFileIsAConfigError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(
                "config file "
                        + missing
                        + " does not exist; accepted: a YAML file (see rankwise train --help)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, List.of()))
                        .getMessage());
    }

    @Test
    void configErrorsAreIllegalArgumentsSoTheCommandExitsWithTwo() {
        assertInstanceOf(IllegalArgumentException.class, new ConfigException("x"));
    }
}
