package io.rankwise.cli.command;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.grid.GridException;
import io.rankwise.api.grid.GridExecutor;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.PluginStartException;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.Options;
import io.rankwise.cli.Main;
import io.rankwise.cli.config.ConfigException;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.ConfigOptions;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.grid.AblationGrid;
import io.rankwise.cli.grid.CellRecord;
import io.rankwise.cli.grid.CellRun;
import io.rankwise.cli.report.AblationPlots;
import io.rankwise.cli.report.AblationTable;
import io.rankwise.cli.report.RankPatternAgreement;
import io.rankwise.cli.train.RunFolderLock;
import io.rankwise.cli.train.RunFolders;
import io.rankwise.training.grid.InProcessExecutorProvider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

    @Option(
            names = "--executor",
            paramLabel = "NAME",
            description =
                    "Where the cells run: in-process (the default: one after another in this JVM)"
                            + " or an executor plugin, e.g. spark (module executor-spark); `rankwise plugins` lists those found.")
    String executor = "";

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Shorthand for --executor-option master=URL: the Spark master, e.g. local[2],"
                            + " spark://host:7077, yarn, k8s://https://host:443.")
    String master;

    @Option(
            names = "--executor-option",
            paramLabel = "KEY=VALUE",
            description = "An option of the executor (see `rankwise plugins`); repeatable.")
    Map<String, String> executorOptions = new LinkedHashMap<>();

    @Option(
            names = "--resume",
            description =
                    "Continue the grid in the folder that run.name names: cells that finished (their"
                            + " folder holds cell.json) are read, not run again; a cell that stopped continues from its"
                            + " checkpoint. Without --resume, a grid folder that already holds cells is refused.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> shorthand =
                backends == null
                        ? List.of()
                        : List.of("ablation.backends=" + String.join(",", backends));
        RankwiseConfig c =
                configOptions.load(main.plugins(), ConfigLoader.DEFAULT_ABLATE, shorthand);
        GridExecutorProvider provider = main.plugins().executors().choose(executor);
        // In-process cells run in this JVM as it is now: a backend that starts here starts for
        // them, so each is started once before a cell is named after it. Cells elsewhere (a
        // cluster executor) get their own grant of threads, which an engine started here first
        // could fix for the whole JVM (PyTorch's pool is per process): their backends are only
        // looked up by name.
        boolean startHere = InProcessExecutorProvider.NAME.equals(provider.name());
        if (c.ablation().backends().isEmpty() && c.backend().name().isBlank()) {
            // Name the registry's choice, so that cell folders, config.yaml and the table say which
            // engine ran.
            List<String> named = new ArrayList<>(shorthand);
            named.add(
                    "ablation.backends="
                            + (startHere
                                    ? started(main.plugins(), "", c.backend().device())
                                    : main.plugins().backends().choose("").name()));
            c = configOptions.load(main.plugins(), ConfigLoader.DEFAULT_ABLATE, named);
        }
        List<String> gridBackends =
                c.ablation().backends().isEmpty()
                        ? List.of(c.backend().name())
                        : c.ablation().backends();
        for (String backend : new LinkedHashSet<>(gridBackends)) {
            if (startHere) {
                started(main.plugins(), backend, c.backend().device());
            } else {
                try {
                    main.plugins().backends().get(backend);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("ablation.backends: " + e.getMessage());
                }
            }
        }
        if (resume && c.run().name().isBlank()) {
            throw new ConfigException(
                    "--resume needs run.name: the grid's folder under run.output_dir ("
                            + c.run().outputDir()
                            + "), e.g. --set run.name=ablation-20261130-224500");
        }
        String name =
                c.run().name().isBlank() ? RunFolders.timestamped("ablation") : c.run().name();
        Path dir = c.run().outputDir().resolve(name).toAbsolutePath().normalize();
        if (resume && !Files.isDirectory(dir)) {
            throw new ConfigException("--resume: there is no grid folder " + dir);
        }
        // One command per grid folder (each cell locks its own folder as it runs): two ablate
        // commands into one folder would plan the same cells twice.
        PrintWriter err = spec.commandLine().getErr();
        try (RunFolderLock lock = RunFolderLock.acquire(dir, "ablate", err)) {
            return ablateLocked(c, dir, name, provider, out);
        }
    }

    /**
     * Starts the backend {@code name} ({@code ""}: the registry's choice, the highest-ranked that
     * starts) on {@code device} as a cell in this JVM would, closes it, and returns its name: so
     * that no cell is named, and no folder made, after a backend that cannot run it.
     *
     * @throws ConfigException (exit 2) for a name no backend has, or a device it cannot use
     * @throws GridException (exit 1) when the engine fails to start (its natives, say)
     */
    private static String started(Plugins plugins, String name, Device device) {
        try {
            PluginRegistry.Selection<BackendProvider, Backend> s =
                    plugins.backends().select(name, p -> p.create(device));
            s.created().close();
            return s.provider().name();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ablation.backends: " + e.getMessage());
        } catch (PluginStartException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException) {
                    throw new ConfigException("ablation.backends: " + e.getMessage());
                }
            }
            throw new GridException(
                    "ablation.backends: " + e.getMessage() + "; no cell was run", e);
        }
    }

    /** The grid, with its folder's lock held. */
    private Integer ablateLocked(
            RankwiseConfig c, Path dir, String name, GridExecutorProvider provider, PrintWriter out)
            throws Exception {
        AblationGrid grid = AblationGrid.plan(c, dir, main.pluginPath().jars(), resume);

        Map<String, Object> given = new LinkedHashMap<>(executorOptions);
        if (master != null) {
            if (provider.options().stream().noneMatch(o -> o.name().equals("master"))) {
                throw new ConfigException(
                        "--master "
                                + master
                                + ": the executor "
                                + provider.name()
                                + " has no master; add --executor spark to run the grid on Spark");
            }
            given.put("master", master);
        }
        List<CellRecord> records;
        // Opened before anything is written: an executor that cannot start leaves no folder.
        try (GridExecutor cells = provider.open(Options.parse(provider, given))) {
            out.printf(
                    Locale.ROOT,
                    "ablation of %d cells into %s, executor %s%n",
                    grid.size(),
                    dir,
                    cells.describe());
            out.flush();
            // In-process cells run one at a time on this terminal: their progress line is shown.
            boolean here = InProcessExecutorProvider.NAME.equals(provider.name());
            try {
                records = grid.run(cells, new CellRun(main.plugins(), here), out);
            } catch (GridException e) {
                throw new GridException(
                        e.getMessage()
                                + "; the cells that finished are kept in "
                                + dir
                                + ": the same command with --resume --set run.name="
                                + name
                                + " continues the grid",
                        e);
            }
        }

        AblationTable table = AblationTable.of(records.stream().map(CellRecord::tableRow).toList());
        String agreement =
                RankPatternAgreement.of(records.stream().map(CellRecord::patternCell).toList())
                        .toMarkdown();
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
