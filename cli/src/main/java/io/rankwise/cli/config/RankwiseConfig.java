package io.rankwise.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.allocators.AdaLoraAllocatorProvider;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.training.spec.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole, validated configuration of {@code rankwise train} and {@code rankwise ablate}: one
 * record per YAML section, every default filled in. {@link ConfigLoader} reads and writes it.
 *
 * @param run naming, seed, cadence of logs, evaluations and checkpoints
 * @param backend the engine and device
 * @param model the pretrained encoder
 * @param adapter the low-rank adapters
 * @param allocator the rank allocator plugin and its options (AdaLoRA's budget schedule)
 * @param optimizer the optimizer plugin and its options
 * @param metric the importance metric plugin and its options
 * @param task the data
 * @param training length, batches, learning-rate schedule, evaluation
 * @param ablation the grid of {@code rankwise ablate}
 */
public record RankwiseConfig(
        RunConfig run,
        BackendConfig backend,
        ModelConfig model,
        AdapterConfig adapter,
        PluginConfig allocator,
        PluginConfig optimizer,
        PluginConfig metric,
        TaskConfig task,
        TrainingConfig training,
        AblationConfig ablation) {

    /** The top level: its keys are the sections. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "",
                    "a rankwise configuration",
                    List.of(
                            ConfigKey.section(RunConfig.SECTION),
                            ConfigKey.section(BackendConfig.SECTION),
                            ConfigKey.section(ModelConfig.SECTION),
                            ConfigKey.section(AdapterConfig.SECTION),
                            ConfigKey.section(PluginConfig.ALLOCATOR),
                            ConfigKey.section(PluginConfig.OPTIMIZER),
                            ConfigKey.section(PluginConfig.METRIC),
                            ConfigKey.section(TaskConfig.SECTION),
                            ConfigKey.section(TrainingConfig.SECTION),
                            ConfigKey.section(AblationConfig.SECTION)));

    /** Requires every section and checks the rules that span sections. */
    public RankwiseConfig {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(ablation, "ablation");
        checkAcrossSections(adapter, allocator, training);
    }

    /**
     * Maps a YAML tree (null: all defaults) onto a configuration; the plugin sections' names and
     * options are checked against {@code plugins}.
     */
    static RankwiseConfig read(JsonNode tree, Plugins plugins) {
        SectionReader root = new SectionReader(tree, SECTION, "");
        RunConfig run = RunConfig.read(root.section("run"));
        BackendConfig backend = BackendConfig.read(root.section("backend"));
        ModelConfig model = ModelConfig.read(root.section("model"));
        AdapterConfig adapter = AdapterConfig.read(root.section("adapter"));
        PluginConfig allocator =
                PluginConfig.read(root.section("allocator"), PluginConfig.Kind.ALLOCATOR, plugins);
        PluginConfig optimizer =
                PluginConfig.read(root.section("optimizer"), PluginConfig.Kind.OPTIMIZER, plugins);
        PluginConfig metric =
                PluginConfig.read(root.section("metric"), PluginConfig.Kind.METRIC, plugins);
        return new RankwiseConfig(
                run,
                backend,
                model,
                adapter,
                allocator,
                optimizer,
                metric,
                TaskConfig.read(root.section("task")),
                TrainingConfig.read(root.section("training")),
                AblationConfig.read(
                        root.section("ablation"), run.seed(), plugins, optimizer, metric));
    }

    /** The configuration as a YAML tree, every key written. */
    ObjectNode toTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        run.write(root.putObject("run"));
        backend.write(root.putObject("backend"));
        model.write(root.putObject("model"));
        adapter.write(root.putObject("adapter"));
        allocator.write(root.putObject("allocator"));
        optimizer.write(root.putObject("optimizer"));
        metric.write(root.putObject("metric"));
        task.write(root.putObject("task"));
        training.write(root.putObject("training"));
        ablation.write(root.putObject("ablation"));
        return root;
    }

    /**
     * Every cell of the ablation grid, tasks outermost, then backends, pairs and seeds (so that the
     * seeds of one configuration run one after another).
     */
    public List<AblationCell> ablationCells() {
        List<String> backends =
                ablation.backends().isEmpty() ? List.of(backend.name()) : ablation.backends();
        List<AblationPair> pairs =
                ablation.pairs().isEmpty()
                        ? List.of(
                                adapter.kind() == AdapterKind.LORA
                                        ? AblationPair.lora(optimizer.name(), optimizer.options())
                                        : new AblationPair(
                                                optimizer.name(),
                                                metric.name(),
                                                optimizer.options(),
                                                metric.options()))
                        : ablation.pairs();
        List<String> tasks = ablation.tasks().isEmpty() ? List.of(task.name()) : ablation.tasks();
        List<AblationCell> cells = new ArrayList<>();
        for (String t : tasks) {
            for (String b : backends) {
                for (AblationPair p : pairs) {
                    for (long seed : ablation.seeds()) {
                        cells.add(new AblationCell(b, p, seed, t, forCell(b, p, seed, t)));
                    }
                }
            }
        }
        return cells;
    }

    /**
     * The configuration of one ablation cell: this one with the cell's backend, adapter kind,
     * optimizer and metric (the pair's options laid over the sections' as {@link AblationPair}
     * says; a LoRA pair keeps the metric section, which its run does not use), seed and task; its
     * ablation section is the single cell.
     */
    public RankwiseConfig forCell(
            String backendName, AblationPair pair, long seed, String taskName) {
        String canonicalTask =
                TaskConfig.canonical(taskName)
                        .orElseThrow(
                                () ->
                                        new ConfigException(
                                                "task "
                                                        + taskName
                                                        + " is not known; accepted: "
                                                        + String.join(", ", TaskConfig.NAMES)));
        return new RankwiseConfig(
                run.withSeed(seed),
                backend.withName(backendName),
                model,
                adapter.withKind(pair.adapter()),
                allocator,
                optimizer.overriddenBy(pair.optimizer(), pair.optimizerOptions()),
                pair.adapter() == AdapterKind.LORA
                        ? metric
                        : metric.overriddenBy(pair.metric(), pair.metricOptions()),
                task.withName(canonicalTask),
                pair.lrSchedule() == null ? training : training.withLrSchedule(pair.lrSchedule()),
                new AblationConfig(List.of(), List.of(), List.of(seed), List.of()));
    }

    /** This configuration with another run name (the command names unnamed runs). */
    public RankwiseConfig withRunName(String name) {
        return new RankwiseConfig(
                run.withName(name),
                backend,
                model,
                adapter,
                allocator,
                optimizer,
                metric,
                task,
                training,
                ablation);
    }

    /**
     * The AdaLoRA allocator's schedule against the adapters and the training length, before
     * anything runs (the allocator checks the same when it is made, but only once the data says how
     * many steps there are). Its options are read through the plugin's own declarations.
     */
    private static void checkAcrossSections(
            AdapterConfig adapter, PluginConfig allocator, TrainingConfig training) {
        // LoRA keeps its rank: the allocator section is not used, so its values cannot conflict.
        if (adapter.kind() == AdapterKind.ADALORA
                && allocator.name().equals(AdaLoraAllocatorProvider.NAME)) {
            int targetR = AdaLoraAllocatorProvider.TARGET_R.in(allocator.options());
            if (targetR > adapter.initR()) {
                throw new ConfigException(
                        "allocator.options.target_r is "
                                + targetR
                                + "; accepted: an integer in [1, adapter.init_r]"
                                + " = [1, "
                                + adapter.initR()
                                + "]");
            }
            long tinit = AdaLoraAllocatorProvider.TINIT.in(allocator.options());
            long tfinal = AdaLoraAllocatorProvider.TFINAL.in(allocator.options());
            long steps = training.maxSteps();
            if (steps > 0 && tinit + tfinal >= steps) {
                throw new ConfigException(
                        "allocator.options.tinit + allocator.options.tfinal is "
                                + tinit
                                + " + "
                                + tfinal
                                + " = "
                                + (tinit + tfinal)
                                + "; accepted: less than training.max_steps = "
                                + steps
                                + " (budgeting needs at least one step)");
            }
        }
        if (training.maxSteps() > 0
                && training.lrSchedule() instanceof LrSchedule.Linear linear
                && linear.warmupSteps() >= training.maxSteps()) {
            throw new ConfigException(
                    "training.lr_schedule.warmup_steps is "
                            + linear.warmupSteps()
                            + "; accepted: less than training.max_steps = "
                            + training.maxSteps());
        }
    }
}
