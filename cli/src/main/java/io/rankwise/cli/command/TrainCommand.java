package io.rankwise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.Main;
import io.rankwise.cli.config.AdapterKind;
import io.rankwise.cli.config.ConfigDocs;
import io.rankwise.cli.config.ConfigException;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.ConfigOptions;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.report.RankPatternAgreement;
import io.rankwise.cli.train.RunFolderLock;
import io.rankwise.cli.train.RunFolders;
import io.rankwise.cli.train.RunPlan;
import io.rankwise.models.data.Task;
import io.rankwise.training.RunResult;
import io.rankwise.training.checkpoint.Checkpoint;
import io.rankwise.training.checkpoint.RunIdentity;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rankwise train}: one fine-tuning run from a YAML configuration (the embedded default
 * without one).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Fine-tune with AdaLoRA (or plain LoRA: --set adapter.kind=lora) from a YAML configuration; without"
                        + " --config, the embedded default-train.yaml (MiniLM-L6 on the SpamAssassin demo task). Writes a run"
                        + " folder: config.yaml, metrics.jsonl, checkpoint/, adapter/ (PEFT format), rank_pattern.json"
                        + " (AdaLoRA).")
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions configOptions;

    @ParentCommand Main main;

    @Option(
            names = "--resume",
            description = "Continue the run in the run folder from its last checkpoint.")
    boolean resume;

    @Option(names = "--run-dir", description = "The run folder (default: run.output_dir/run.name).")
    Path runDir;

    /**
     * Adds the key documentation to the help text, with the options of {@code plugins}' plugins
     * (asked for only when the help is shown, so that parsing a command line discovers nothing).
     */
    public static void documentKeys(
            picocli.CommandLine train, java.util.function.Supplier<Plugins> plugins) {
        train.getHelpSectionMap()
                .put(
                        picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                        help -> System.lineSeparator() + ConfigDocs.text(plugins.get()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RankwiseConfig c =
                resume && runDir != null && configOptions.file().isEmpty()
                        // Resuming without --config: the run's own resolved configuration (--set
                        // still applies, and is checked below).
                        ? ConfigLoader.load(
                                main.plugins(), savedConfig(runDir), configOptions.overrides())
                        : configOptions.load(main.plugins(), ConfigLoader.DEFAULT_TRAIN);
        String name =
                c.run().name().isBlank()
                        ? RunFolders.timestamped(
                                c.task().name().replace(':', '-')
                                        + "-"
                                        + (c.adapter().kind() == AdapterKind.LORA
                                                // No metric: the adapter kind names the run.
                                                ? "lora-" + c.optimizer().name()
                                                : c.optimizer().name() + "-" + c.metric().name()))
                        : c.run().name();
        Path dir = runDir != null ? runDir : c.run().outputDir().resolve(name);
        // One writer per run folder: taken before the folder is looked at (so that a second run
        // into it is refused as in use, whatever the first has written so far), released on every
        // exit.
        PrintWriter err = spec.commandLine().getErr();
        try (RunFolderLock lock = RunFolderLock.acquire(dir, "train", err)) {
            return trainLocked(c, dir, out);
        }
    }

    /** The run, with the folder's lock held. */
    private Integer trainLocked(RankwiseConfig c, Path dir, PrintWriter out) throws Exception {
        if (!resume && Files.exists(dir.resolve("metrics.jsonl"))) {
            throw new ConfigException(
                    "the run folder "
                            + dir
                            + " already holds a run; use --resume to continue it,"
                            + " or another run.name / --run-dir");
        }
        if (resume) {
            requireSameConfiguration(
                    c,
                    ConfigLoader.load(main.plugins(), savedConfig(dir), List.of()),
                    savedConfig(dir));
            if (!Files.isRegularFile(Checkpoint.file(dir))) {
                throw new ConfigException(
                        "--resume: "
                                + Checkpoint.file(dir)
                                + " does not exist: the run stopped before its"
                                + " first checkpoint (run.checkpoint_every); start it again in another folder, without --resume");
            }
            // A truncated, corrupted or another configuration's checkpoint is refused in one line,
            // before anything loads (T, the rest of the run's identity, needs the data).
            Checkpoint.verifyConfiguration(dir, RunIdentity.configHash(RunPlan.spec(c)));
        }
        Task task = RunPlan.task(c);
        long total = c.training().totalSteps(task.train().size());
        if (resume) {
            // Only this run's checkpoint: its configuration hash and length (RunIdentity).
            Checkpoint.verify(dir, RunIdentity.of(RunPlan.spec(c), total));
        }
        out.printf(
                Locale.ROOT,
                "run folder %s; task %s: %d training examples, %d steps%n",
                dir,
                task.name(),
                task.train().size(),
                total);
        out.flush();
        RunResult result = RunPlan.runInFolder(main.plugins(), c, task, dir, resume);
        out.printf(
                Locale.ROOT,
                "done: %d steps, %.2f s/step, peak memory %.0f MiB; %s %s; %s%n",
                result.steps(),
                result.secondsPerStep(),
                result.peakMemoryMiB(),
                result.evaluation().split(),
                result.evaluation().values(),
                result.fixedRank()
                        ? "LoRA at a fixed total rank of "
                                + result.loraAdapters().stream().mapToInt(w -> w.rank()).sum()
                        : "surviving triplets " + RankPatternAgreement.kept(result.rankPattern()));
        out.printf(Locale.ROOT, "wrote %s%n", dir);
        return 0;
    }

    private static Path savedConfig(Path dir) {
        Path saved = dir.resolve("config.yaml");
        if (!Files.isRegularFile(saved)) {
            throw new ConfigException(
                    "--resume: "
                            + saved
                            + " does not exist; accepted: --run-dir of a run folder that"
                            + " rankwise train started (config.yaml, checkpoint/state.bin)");
        }
        return saved;
    }

    /**
     * A resumed run reaches an uninterrupted run's numbers only with the configuration it started
     * with; refuses any difference, naming each key with the saved and the new value. Values are
     * compared typed, as the configuration holds them: plugin options have their declared types, so
     * {@code lr: 10.0} and {@code --set optimizer.options.lr=10} are the same.
     */
    private static void requireSameConfiguration(
            RankwiseConfig c, RankwiseConfig started, Path saved) {
        Map<String, JsonNode> before = flatten(ConfigLoader.toTree(started), "");
        Map<String, JsonNode> now = flatten(ConfigLoader.toTree(c), "");
        List<String> differences = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            JsonNode was = before.get(key);
            JsonNode is = now.get(key);
            if (!sameValue(was, is)) {
                differences.add(key + " " + show(was) + " -> " + show(is));
            }
        }
        if (!differences.isEmpty()) {
            throw new ConfigException(
                    "--resume: the configuration differs from the one the run started with ("
                            + saved
                            + "): "
                            + String.join(", ", differences)
                            + "; resume with the same configuration (without --config, the run's"
                            + " config.yaml is used)");
        }
    }

    /**
     * Whether two configuration values are the same: numbers by value ({@code 10} and {@code 10.0}
     * are one learning rate, though YAML and {@code --set} type them differently), anything else as
     * it is.
     */
    static boolean sameValue(JsonNode was, JsonNode is) {
        if (was != null && is != null && was.isNumber() && is.isNumber()) {
            return was.decimalValue().compareTo(is.decimalValue()) == 0;
        }
        return java.util.Objects.equals(was, is);
    }

    private static String show(JsonNode value) {
        return value == null ? "(unset)" : value.isTextual() ? value.textValue() : value.toString();
    }

    /** The leaves of a configuration tree (scalars and lists) as {@code path -> value}. */
    private static Map<String, JsonNode> flatten(JsonNode node, String path) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        if (node.isObject()) {
            node.properties()
                    .forEach(
                            e ->
                                    out.putAll(
                                            flatten(
                                                    e.getValue(),
                                                    path.isEmpty()
                                                            ? e.getKey()
                                                            : path + "." + e.getKey())));
        } else {
            out.put(path, node);
        }
        return out;
    }
}
