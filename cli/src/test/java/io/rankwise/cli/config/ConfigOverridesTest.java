package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Device;
import io.rankwise.training.spec.LrSchedule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --set path=value}: coerced by the key's kind, checked like the file, unknown keys refused.
 */
class ConfigOverridesTest {

    private static RankwiseConfig set(String yaml, String... sets) {
        return ConfigLoader.parse(yaml, List.of(sets));
    }

    private static String error(String... sets) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse("", List.of(sets)))
                .getMessage();
    }

    @Test
    void scalarsAreCoercedByTheKeysKind() {
        RankwiseConfig c =
                set(
                        "",
                        "training.batch_size=32",
                        "model.dropout=0.25",
                        "task.skip_bad_rows=TRUE",
                        "backend.device=gpu:1",
                        "run.name=007",
                        "run.seed=-3",
                        "model.pooling=CLS");
        assertEquals(32, c.training().batchSize());
        assertEquals(0.25, c.model().dropout());
        assertTrue(c.task().skipBadRows());
        assertEquals(Device.gpu(1), c.backend().device());
        assertEquals("007", c.run().name()); // a string key keeps the text
        assertEquals(-3, c.run().seed());
        assertEquals(io.rankwise.models.encoder.Pooling.CLS, c.model().pooling());
    }

    @Test
    void overridesWinOverTheFileAndLaterOverridesWinOverEarlier() {
        RankwiseConfig c =
                set(
                        "training:\n  batch_size: 8\n",
                        "training.batch_size=4",
                        "training.batch_size=2");
        assertEquals(2, c.training().batchSize());
    }

    @Test
    void listsAreCommaSeparated() {
        RankwiseConfig c =
                set(
                        "",
                        "adapter.target_modules=query, value",
                        "ablation.backends=djl,tensorflow",
                        "ablation.tasks=glue:RTE,spam-assassin",
                        "ablation.pairs=adam+sensitivity, adam+magnitude");
        assertEquals(List.of("query", "value"), c.adapter().targetModules());
        assertEquals(List.of("djl", "tensorflow"), c.ablation().backends());
        assertEquals(List.of("glue:rte", "spam-assassin"), c.ablation().tasks());
        assertEquals(
                List.of(
                        AblationPair.of("adam", "sensitivity"),
                        AblationPair.of("adam", "magnitude")),
                c.ablation().pairs());
    }

    @Test
    void seedsAreACountOrAList() {
        assertEquals(
                List.of(7L, 8L, 9L),
                set("run:\n  seed: 7\n", "ablation.seeds=3").ablation().seeds());
        assertEquals(List.of(5L, 1L), set("", "ablation.seeds=5,1").ablation().seeds());
        assertEquals(List.of(5L), set("", "ablation.seeds=[5]").ablation().seeds());
    }

    @Test
    void pluginOptionsAreSetOneByOneAndTypedByThePluginsDeclaration() {
        RankwiseConfig c =
                set(
                        "optimizer:\n  name: ivon\n  options:\n    lr: 0.1\n",
                        "optimizer.options.ess=auto",
                        "optimizer.options.lr=0.3",
                        "optimizer.options.mc_samples=2",
                        "optimizer.options.debias=FALSE",
                        "optimizer.options.hess_approx=GradSq",
                        "metric.options.beta1=0.5");
        Map<String, Object> ivon = c.optimizer().options();
        assertEquals(0.3, ivon.get("lr"));
        assertEquals("auto", ivon.get("ess"));
        assertEquals(2, ivon.get("mc_samples"));
        assertEquals(false, ivon.get("debias"));
        assertEquals("gradsq", ivon.get("hess_approx"));
        assertEquals(
                0.1,
                set("optimizer:\n  name: ivon\n  options:\n    lr: 0.1\n    ess: 100\n")
                        .optimizer()
                        .options()
                        .get("lr"));
        // Every option of the plugin is there, the left-out ones with their declared defaults.
        assertEquals(
                List.of(
                        "lr",
                        "ess",
                        "hess_init",
                        "beta1",
                        "beta2",
                        "weight_decay",
                        "mc_samples",
                        "hess_approx",
                        "clip_radius",
                        "debias",
                        "rescale_lr",
                        "noise",
                        "seed"),
                List.copyOf(ivon.keySet()));
        assertEquals(Double.POSITIVE_INFINITY, ivon.get("clip_radius"));
        assertEquals(Map.of("beta1", 0.5, "beta2", 0.85), c.metric().options());
    }

    @Test
    void aNumberIsTheSameNumberHoweverItIsWritten() {
        RankwiseConfig yaml = set("optimizer:\n  options:\n    lr: 10.0\n");
        for (RankwiseConfig other :
                List.of(
                        set("", "optimizer.options.lr=10"),
                        set("optimizer:\n  options:\n    lr: 10\n"),
                        set("optimizer:\n  options:\n    lr: '1e1'\n"),
                        set(
                                "optimizer:\n  options:\n    lr: 1\n",
                                "optimizer.options.lr=10.000"))) {
            assertEquals(yaml, other);
            assertEquals(ConfigLoader.toYaml(yaml), ConfigLoader.toYaml(other));
            assertEquals(
                    io.rankwise.cli.train.RunPlan.spec(yaml),
                    io.rankwise.cli.train.RunPlan.spec(other));
        }
        assertEquals(10.0, yaml.optimizer().options().get("lr"));
        RankwiseConfig schedule =
                set(
                        "allocator:\n  options:\n    tinit: 3\n    orth_reg_weight: 1\n",
                        "allocator.options.tfinal=4");
        assertEquals(3L, schedule.allocator().options().get("tinit"));
        assertEquals(4L, schedule.allocator().options().get("tfinal"));
        assertEquals(1.0, schedule.allocator().options().get("orth_reg_weight"));
    }

    @Test
    void switchingThePluginClearsTheOtherPluginsOptions() {
        String ivon = "optimizer:\n  name: ivon\n  options:\n    lr: 1.0\n    hess_init: 4\n";
        RankwiseConfig c =
                set(
                        ivon,
                        "optimizer.name=adam",
                        "optimizer.options=null",
                        "optimizer.options.lr=4e-3");
        assertEquals("adam", c.optimizer().name());
        Map<String, Object> adamDefaults =
                Map.of("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);
        Map<String, Object> expected = new java.util.HashMap<>(adamDefaults);
        expected.put("lr", 0.004);
        assertEquals(expected, c.optimizer().options());
        assertEquals(
                adamDefaults,
                set(ivon, "optimizer.name=adam", "optimizer.options={}").optimizer().options());
    }

    @Test
    void nestedSectionKeys() {
        RankwiseConfig c =
                set(
                        "",
                        "training.lr_schedule.kind=constant_then_decay",
                        "training.lr_schedule.hold_steps=400",
                        "training.lr_schedule.lr_high=2");
        assertEquals(new LrSchedule.ConstantThenDecay(400, 2.0), c.training().lrSchedule());
    }

    @Test
    void nullRestoresTheDefaultSoTheScheduleKindCanChange() {
        String yaml = "training:\n  lr_schedule:\n    kind: linear\n    warmup_steps: 10\n";
        RankwiseConfig c =
                set(
                        yaml,
                        "training.lr_schedule.kind=constant",
                        "training.lr_schedule.warmup_steps=null");
        assertEquals(new LrSchedule.Constant(), c.training().lrSchedule());
        assertEquals(
                0.001,
                set("optimizer:\n  options:\n    lr: 1\n", "optimizer.options.lr=~")
                        .optimizer()
                        .options()
                        .get("lr"));
        assertEquals(
                16,
                set("training:\n  batch_size: 8\n", "training.batch_size=null")
                        .training()
                        .batchSize());
    }

    @Test
    void badOverrideValuesGetTheSameMessagesAsTheFile() {
        assertEquals(
                "training.batch_size is many; accepted: integer >= 1",
                error("training.batch_size=many"));
        assertEquals(
                "task.skip_bad_rows is yes; accepted: true, false",
                error("task.skip_bad_rows=yes"));
        assertEquals(
                "ablation.seeds is [1,\"x\"]; accepted: a count >= 1 (seeds run.seed, run.seed+1, ...) or a non-empty"
                        + " list of integers",
                error("ablation.seeds=1,x"));
        assertEquals(
                "optimizer.options: adam: option 'lr' is fast; accepted: a number >= 0",
                error("optimizer.options.lr=fast"));
        assertEquals(
                "allocator.options: adalora: option 'target_r' is 2.5; accepted: an integer >= 1",
                error("allocator.options.target_r=2.5"));
    }

    @Test
    void unknownKeysAndMisshapenOverrides() {
        assertEquals(
                "--set training.bach_size=3: unknown key training.bach_size (did you mean batch_size?); valid keys of"
                        + " training: epochs, max_steps, batch_size, grad_accumulation, lr_schedule, test_samples",
                error("training.bach_size=3"));
        assertEquals(
                "--set optimiser.name=ivon: unknown section optimiser (did you mean optimizer?); valid sections: run,"
                        + " backend, model, adapter, allocator, optimizer, metric, task, training, ablation",
                error("optimiser.name=ivon"));
        assertEquals(
                "--set training.lr_schedule.warmup=5: unknown key training.lr_schedule.warmup; valid keys of"
                        + " training.lr_schedule: kind, warmup_steps, hold_steps, lr_high",
                error("training.lr_schedule.warmup=5"));
        assertEquals(
                "--set training.batch_size 4: expected path=value, e.g. --set training.batch_size=32",
                error("training.batch_size 4"));
        assertEquals(
                "--set training.lr_schedule=linear: training.lr_schedule is a section; set one of its keys:"
                        + " training.lr_schedule.kind, training.lr_schedule.warmup_steps, training.lr_schedule.hold_steps,"
                        + " training.lr_schedule.lr_high",
                error("training.lr_schedule=linear"));
        assertEquals(
                "--set optimizer.options=lr: optimizer.options holds plugin options; set one as"
                        + " optimizer.options.<option>=<value>, e.g. optimizer.options.lr=0.1, or clear them all with optimizer.options=null",
                error("optimizer.options=lr"));
        assertEquals(
                "--set run.seed.low=1: run.seed is a single value, it has no keys below it",
                error("run.seed.low=1"));
        assertEquals(
                "--set allocator.target_r=2: allocator.target_r has moved to allocator.options.target_r; the allocator is"
                        + " a plugin section like optimizer and metric: allocator: {name: adalora, options: {target_r: 4, tinit: 10,"
                        + " ...}}",
                error("allocator.target_r=2"));
    }
}
