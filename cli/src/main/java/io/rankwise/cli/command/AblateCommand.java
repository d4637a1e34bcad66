package io.rankwise.cli.command;

import io.rankwise.cli.Main;
import io.rankwise.cli.config.AblationCell;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.ConfigOptions;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.report.AblationCellResult;
import io.rankwise.cli.report.AblationPlots;
import io.rankwise.cli.report.AblationTable;
import io.rankwise.cli.report.RankPatternAgreement;
import io.rankwise.cli.train.RunPlan;
import io.rankwise.models.data.Task;
import io.rankwise.training.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code rankwise ablate}: a grid of runs over backends × (optimizer, metric) pairs × seeds ×
 * tasks. Without arguments: the embedded default, the paper's five configurations (Adam +
 * sensitivity, IVON + sensitivity, IVON + snr, IVON + magnitude, IVON + variance) on the demo task.
 */
@Command(
        name = "ablate",
        mixinStandardHelpOptions = true,
        description =
                "Run a grid of fine-tuning runs and write one table over all cells (ablation.md, ablation.csv;"
                        + " mean ± std over seeds, seconds per step, peak memory) and comparison plots. Without --config, the embedded default-ablate.yaml:"
                        + " the paper's five optimizer/metric configurations on the SpamAssassin demo task.")
public final class AblateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions configOptions;

    @ParentCommand Main main;

    @Option(
            names = "--backends",
            split = ",",
            description = "Shorthand for --set ablation.backends=..., e.g. djl,tensorflow.")
    List<String> backends;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> shorthand =
                backends == null
                        ? List.of()
                        : List.of("ablation.backends=" + String.join(",", backends));
        RankwiseConfig c =
                configOptions.load(main.plugins(), ConfigLoader.DEFAULT_ABLATE, shorthand);
        if (c.ablation().backends().isEmpty() && c.backend().name().isBlank()) {
            // Name the registry's choice, so that cell folders, config.yaml and the table say which
            // engine ran.
            List<String> named = new ArrayList<>(shorthand);
            named.add("ablation.backends=" + main.plugins().backends().choose("").name());
            c = configOptions.load(main.plugins(), ConfigLoader.DEFAULT_ABLATE, named);
        }
        List<AblationCell> cells = c.ablationCells();
        String name =
                c.run().name().isBlank()
                        ? "ablation-"
                                + LocalDateTime.now()
                                        .format(
                                                DateTimeFormatter.ofPattern(
                                                        "yyyyMMdd-HHmmss", Locale.ROOT))
                        : c.run().name();
        Path dir = c.run().outputDir().resolve(name);
        out.printf(Locale.ROOT, "ablation of %d cells into %s%n", cells.size(), dir);
        out.flush();
        List<AblationCellResult> results = new ArrayList<>();
        List<RankPatternAgreement.Cell> patterns = new ArrayList<>();
        Map<String, Task> tasks = new HashMap<>();
        int done = 0;
        for (AblationCell cell : cells) {
            RankwiseConfig cc = cell.config();
            Task task =
                    tasks.computeIfAbsent(
                            cell.task() + "#" + cell.seed(),
                            k -> {
                                try {
                                    return RunPlan.task(cc);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
            Path cellDir = dir.resolve(cell.id());
            out.printf(Locale.ROOT, "%n[%d/%d] %s%n", ++done, cells.size(), cell.id());
            out.flush();
            RunResult result = RunPlan.runInFolder(main.plugins(), cc, task, cellDir, false);
            // The backend that ran, so that a grid on the default backend is labelled by its name.
            AblationCellResult cellResult =
                    new AblationCellResult(
                            result.backend(),
                            cell.pair().optimizer(),
                            cell.pair().metric(),
                            cell.task(),
                            cell.seed(),
                            result.evaluation().values(),
                            result.secondsPerStep(),
                            result.peakMemoryMiB());
            results.add(cellResult);
            patterns.add(
                    new RankPatternAgreement.Cell(
                            cellResult.backendLabel(),
                            cell.task(),
                            cell.seed(),
                            cellResult.configuration(),
                            result.rankPattern()));
        }
        AblationTable table = AblationTable.of(results);
        String agreement = RankPatternAgreement.of(patterns).toMarkdown();
        table.write(dir, agreement);
        AblationPlots.writeAll(table, dir.resolve("plots"));
        out.println();
        out.print(table.toMarkdown());
        out.print(agreement);
        out.printf(
                Locale.ROOT,
                "wrote %s (ablation.md, ablation.csv, plots/, one run folder per cell)%n",
                dir);
        return 0;
    }
}
