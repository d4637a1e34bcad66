package io.rankwise.cli.command;

import io.rankwise.cli.Main;
import io.rankwise.cli.report.RankPatternAgreement;
import io.rankwise.cli.train.RunFolderLock;
import io.rankwise.cli.train.RunFolders;
import io.rankwise.training.checkpoint.SavedRun;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.peft.AdaLoraSettings;
import io.rankwise.training.peft.HeadInputs;
import io.rankwise.training.peft.LoraSettings;
import io.rankwise.training.peft.PeftExporter;
import io.rankwise.training.peft.PeftNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rankwise export}: a run folder's checkpoint as a PEFT folder that Python PEFT loads into
 * the same base model ({@code PeftModel.from_pretrained}): for an AdaLoRA run the adapters pruned
 * to the checkpoint's rank pattern ({@code peft_type} ADALORA), for a LoRA run its A and B at rank
 * r ({@code peft_type} LORA), and the classification head under {@code modules_to_save}. It reads
 * {@code checkpoint/state.bin}, so it also exports a killed run's last checkpoint.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Write a run's checkpoint as a PEFT folder (AdaLoRA's, or LoRA's for a lora run) that Python PEFT loads into"
                    + " the same base model.",
            "Reads the run's checkpoint/state.bin (so a killed run exports its last checkpoint) and writes"
                    + " adapter_config.json (peft_type ADALORA, target_modules, init_r, target_r, lora_alpha, rank_pattern,"
                    + " modules_to_save [classifier]) and adapter_model.safetensors (base_model.model.bert.<module>.lora_A/B/E"
                    + " pruned to the surviving ranks, base_model.model.classifier.weight/bias); for an adapter.kind lora run,"
                    + " peft_type LORA with r and lora_alpha, and <module>.lora_A.weight [r, in], .lora_B.weight [out, r].",
            "Python: PeftModel.from_pretrained(AutoModelForSequenceClassification.from_pretrained(base), folder). The"
                    + " adapters load exactly; the classifier was trained on Rankwise's pooling (mean for MiniLM), not on"
                    + " BERT's CLS pooler."
        })
public final class ExportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ParentCommand Main main;

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            required = true,
            description =
                    "A run folder written by train or ablate (config.yaml, checkpoint/state.bin).")
    Path runDir;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Where to write the PEFT folder (default: DIR/adapter, which train already writes at the end).")
    Path out;

    @Option(names = "--force", description = "Replace the PEFT files in a non-empty --out folder.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path target = out != null ? out : runDir.resolve("adapter");
        if (out != null) {
            checkWritable(out);
        }
        // Writing into the run folder (its adapter/, or an --out inside it): not while a run
        // writes it. An --out elsewhere only reads the folder.
        PrintWriter err = spec.commandLine().getErr();
        boolean intoRunFolder =
                target.toAbsolutePath().normalize().startsWith(runDir.toAbsolutePath().normalize());
        try (RunFolderLock lock =
                        intoRunFolder && Files.isDirectory(runDir)
                                ? RunFolderLock.acquire(runDir, "export", err)
                                : null;
                SavedRun run = RunFolders.open(main.plugins(), runDir, List.of())) {
            HeadWeights head = run.model().headWeights();
            String adapters;
            if (run.peftSettings() instanceof LoraSettings lora) {
                PeftExporter.exportLora(
                        target,
                        run.model().family(),
                        run.model().loraWeights(),
                        Optional.of(head),
                        lora);
                adapters =
                        String.format(
                                Locale.ROOT,
                                "%d LoRA adapters of rank %d",
                                run.model().loraAdapters().size(),
                                lora.r());
            } else {
                Map<String, boolean[]> pattern = run.rankPattern();
                PeftExporter.export(
                        target,
                        run.model().family(),
                        run.model().adapterWeights(),
                        Optional.of(head),
                        pattern,
                        (AdaLoraSettings) run.peftSettings());
                adapters =
                        String.format(
                                Locale.ROOT,
                                "%d adapted modules, %d of %d triplets surviving",
                                pattern.size(),
                                RankPatternAgreement.kept(pattern),
                                RankPatternAgreement.slots(pattern));
            }
            HeadInputs.of(run.spec(), run.model().family()).write(target);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(
                    Locale.ROOT,
                    "wrote %s (%s, %s): %s, head %s; from the checkpoint of step %d of %d%s%n",
                    target,
                    PeftNames.CONFIG_FILE,
                    PeftNames.WEIGHTS_FILE,
                    adapters,
                    head.layout(),
                    run.step(),
                    run.totalSteps(),
                    run.step() < run.totalSteps() ? " (the run did not finish)" : "");
            stdout.flush();
        }
        return 0;
    }

    /**
     * Refuses a file, and a non-empty folder without --force, before anything is read or written.
     */
    private void checkWritable(Path folder) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    "--out "
                            + folder
                            + " is a file; accepted: a folder (new, empty, or with --force)");
        }
        if (Files.isDirectory(folder) && !force) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(
                            "--out "
                                    + folder
                                    + " is not empty; accepted: a new or empty folder, or"
                                    + " --force to replace its "
                                    + PeftNames.CONFIG_FILE
                                    + " and "
                                    + PeftNames.WEIGHTS_FILE);
                }
            }
        }
    }
}
