package io.rankwise.cli.command;

import io.rankwise.api.optim.Posterior;
import io.rankwise.cli.Main;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.ConfigOptions;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.train.RunFolders;
import io.rankwise.cli.train.RunPlan;
import io.rankwise.models.data.Split;
import io.rankwise.models.data.Task;
import io.rankwise.training.checkpoint.SavedRun;
import io.rankwise.training.eval.Evaluation;
import io.rankwise.training.eval.Evaluator;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.peft.AdapterImport;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.wiring.RunAssembly;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rankwise evaluate}: the metrics of saved weights on a split of a task. Either a run
 * folder's checkpoint, at the posterior mean or as the posterior predictive (the class
 * probabilities averaged over N draws θ ~ N(m, σ²) of the run's IVON posterior), or a PEFT AdaLoRA
 * or LoRA folder (ours or Python PEFT's, with the classifier under {@code modules_to_save}; its
 * {@code peft_type} must be that of the configured {@code adapter.kind}) imported onto the
 * configured model, at its weights.
 *
 * <p>Bad input (a missing or unusable folder, a corrupted file, an adapter that does not fit the
 * model, samples without a posterior) exits with 2 and a message naming it, before anything is
 * written.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluate saved weights on a task's split and print the metrics (the task's, plus nll, brier, ece).",
            "--run-dir: a run folder's checkpoint/state.bin, with the run's config.yaml (change keys with --set, e.g."
                    + " --set task.max_eval=0 for the whole dev split); at the posterior mean, or with --samples N as the"
                    + " posterior predictive of an ivon run.",
            "--adapter: a PEFT AdaLoRA folder (adapter_config.json, adapter_model.safetensors with the classifier), on the"
                    + " model and task of --config/--set (without --config, the embedded default-train.yaml); a PEFT LoRA"
                    + " folder (peft_type LORA) with --set adapter.kind=lora (or the run's config.yaml)."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** Where the weights come from: exactly one of the two. */
    static final class Source {
        @Option(
                names = "--run-dir",
                paramLabel = "DIR",
                required = true,
                description =
                        "A run folder written by train or ablate (config.yaml, checkpoint/state.bin).")
        Path runDir;

        @Option(
                names = "--adapter",
                paramLabel = "DIR",
                required = true,
                description =
                        "A PEFT AdaLoRA or LoRA adapter folder, e.g. one written by rankwise export.")
        Path adapter;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin ConfigOptions configOptions;

    @ParentCommand Main main;

    @Option(
            names = "--split",
            paramLabel = "NAME",
            description =
                    "The split to evaluate: dev, train or test where the task has it (default: dev, or train for a task"
                            + " without one, as training's final evaluation).")
    String split;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "0: at the posterior mean (default); N > 0: average the predictions of N posterior draws"
                            + " (--run-dir of an ivon run only).")
    int samples;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description =
                    "Seed of the posterior draws (default: run.seed + the checkpoint's step, the seed of the run's own"
                            + " final evaluation).")
    Long seed;

    @Option(
            names = "--out",
            paramLabel = "FILE.json",
            description = "Also write the report as JSON (exact values).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (samples < 0) {
            throw new IllegalArgumentException(
                    "--samples is "
                            + samples
                            + "; accepted: 0 (the posterior mean) or a number of"
                            + " posterior draws >= 1");
        }
        if (out != null && Files.isDirectory(out)) {
            throw new IllegalArgumentException(
                    "--out " + out + " is a folder; accepted: the path of a JSON file to write");
        }
        EvaluationReport report =
                source.runDir != null
                        ? evaluateRun(source.runDir)
                        : evaluateAdapter(source.adapter);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(report.toTable());
        if (out != null) {
            report.writeJson(out);
            stdout.printf("wrote %s%n", out);
        }
        stdout.flush();
        return 0;
    }

    private EvaluationReport evaluateRun(Path dir) throws IOException {
        if (configOptions.file().isPresent()) {
            throw new IllegalArgumentException(
                    "--config "
                            + configOptions.file().get()
                            + " cannot be combined with --run-dir:"
                            + " the run's own config.yaml is used; accepted: --set key=value to change keys of it");
        }
        try (SavedRun run = RunFolders.open(main.plugins(), dir, configOptions.overrides())) {
            Optional<Posterior> posterior = run.optimizer().posterior();
            if (samples > 0 && posterior.isEmpty()) {
                throw new IllegalArgumentException(
                        "--samples is "
                                + samples
                                + ", but the run in "
                                + dir
                                + " was trained with"
                                + " optimizer "
                                + run.optimizer().name()
                                + ", which has no posterior to sample; only ivon runs have one"
                                + " (accepted: --samples 0)");
            }
            long drawSeed = seed != null ? seed : run.spec().training().seed() + run.step();
            return evaluate(
                    run.model(),
                    run.spec(),
                    run.task(),
                    posterior,
                    dir,
                    "run",
                    OptionalLong.of(run.step()),
                    drawSeed);
        }
    }

    private EvaluationReport evaluateAdapter(Path folder) throws IOException {
        if (samples > 0) {
            throw new IllegalArgumentException(
                    "--samples is "
                            + samples
                            + ", but --adapter "
                            + folder
                            + " holds weights only,"
                            + " no posterior to sample; accepted: --samples 0, or --run-dir with the folder of an ivon run");
        }
        if (seed != null) {
            throw new IllegalArgumentException(
                    "--seed is for posterior draws, which --adapter does not make; leave it out");
        }
        String accepted =
                "; accepted: a PEFT AdaLoRA or LoRA folder (adapter_config.json,"
                        + " adapter_model.safetensors)";
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    "--adapter "
                            + folder
                            + (Files.exists(folder) ? " is not a folder" : " does not exist")
                            + accepted);
        }
        RankwiseConfig config = configOptions.load(main.plugins(), ConfigLoader.DEFAULT_TRAIN);
        Task task = RunPlan.task(config);
        RunSpec run = RunPlan.spec(config);
        try (RunModel model =
                RunModel.open(RunAssembly.assemble(main.plugins(), run), task.spec())) {
            try {
                // As the PEFT method of adapter.kind, its shapes checked against the model before
                // anything of the folder is allocated.
                AdapterImport.load(folder, model, run);
            } catch (IOException e) {
                // The importer's messages name the file and the key.
                throw new IllegalArgumentException(e.getMessage() + accepted, e);
            }
            return evaluate(
                    model, run, task, Optional.empty(), folder, "adapter", OptionalLong.empty(), 0);
        }
    }

    private EvaluationReport evaluate(
            RunModel model,
            RunSpec run,
            Task task,
            Optional<Posterior> posterior,
            Path from,
            String kind,
            OptionalLong step,
            long drawSeed) {
        Split chosen = chosenSplit(task);
        try (Evaluator evaluator =
                new Evaluator(
                        model.backend(),
                        model.classifier(),
                        model.tokenizer(),
                        task.spec(),
                        run.training().batchSize(),
                        run.model().dtype())) {
            Evaluation e =
                    evaluator.evaluate(
                            chosen.name(), chosen.examples(), posterior, samples, drawSeed);
            return new EvaluationReport(
                    from.toString(),
                    kind,
                    step,
                    task.name(),
                    e.split(),
                    chosen.size(),
                    samples,
                    samples > 0 ? OptionalLong.of(drawSeed) : OptionalLong.empty(),
                    e.values());
        }
    }

    private Split chosenSplit(Task task) {
        if (split == null) {
            return task.dev().orElse(task.train());
        }
        return task.split(split)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "--split is '"
                                                + split
                                                + "'; task "
                                                + task.name()
                                                + " has the splits "
                                                + task.splitNames()
                                                + " (accepted: one of them)"));
    }
}
