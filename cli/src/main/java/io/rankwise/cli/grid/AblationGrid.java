package io.rankwise.cli.grid;

import io.rankwise.api.grid.GridExecutor;
import io.rankwise.cli.config.AblationCell;
import io.rankwise.cli.config.ConfigException;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.cli.train.RunPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ablation grid in its folder: its cells as jobs any grid executor can run, which of them
 * finished before (read back with {@code --resume}), and the records of all of them once the rest
 * have run.
 */
public final class AblationGrid {
    private final Path dir;
    private final List<CellJob> jobs;
    private final Map<Integer, CellRecord> finished;

    private AblationGrid(Path dir, List<CellJob> jobs, Map<Integer, CellRecord> finished) {
        this.dir = dir;
        this.jobs = jobs;
        this.finished = finished;
    }

    /**
     * The grid that {@code config} describes, in the folder {@code dir}, its cells loading {@code
     * pluginJars} wherever they run.
     *
     * <p>Without {@code resume}, a folder that already holds any of its cells is refused: that
     * cell's results would be mixed with or overwritten by this grid's. With it, the cells whose
     * folder holds {@code cell.json} count as finished, and each must have been run with the
     * configuration this grid gives it.
     *
     * @throws ConfigException naming the folder and the cell
     */
    public static AblationGrid plan(
            RankwiseConfig config, Path dir, List<Path> pluginJars, boolean resume)
            throws IOException {
        List<String> jars = pluginJars.stream().map(j -> j.toAbsolutePath().toString()).toList();
        List<CellJob> jobs = new ArrayList<>();
        for (AblationCell cell : config.ablationCells()) {
            RankwiseConfig cc = cell.config();
            jobs.add(
                    new CellJob(
                            cell.id(),
                            cell.pair().optimizer(),
                            cell.pair().metric(),
                            cell.seed(),
                            RunPlan.spec(cc),
                            ConfigLoader.toYaml(cc),
                            dir.resolve(cell.id()).toString(),
                            jars));
        }
        Map<Integer, CellRecord> finished = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            CellJob job = jobs.get(i);
            Path folder = Path.of(job.folder());
            if (!resume) {
                if (Files.exists(folder)) {
                    throw new ConfigException(
                            "the grid folder "
                                    + dir
                                    + " already holds cell "
                                    + job.id()
                                    + "; use --resume to continue that grid, or another run.name");
                }
                continue;
            }
            var record = CellRecord.read(folder);
            if (record.isPresent()) {
                requireSameConfiguration(job, folder, dir);
                finished.put(i, record.get());
            }
        }
        return new AblationGrid(dir, List.copyOf(jobs), finished);
    }

    private static void requireSameConfiguration(CellJob job, Path folder, Path dir)
            throws IOException {
        Path saved = folder.resolve("config.yaml");
        if (!Files.isRegularFile(saved)
                || !Files.readString(saved, StandardCharsets.UTF_8).equals(job.resolvedConfig())) {
            throw new ConfigException(
                    "--resume: cell "
                            + job.id()
                            + " in "
                            + dir
                            + " finished with another configuration than this grid gives it"
                            + " (compare its config.yaml); resume with the grid's own configuration, or use another run.name");
        }
    }

    /** The grid's folder. */
    public Path dir() {
        return dir;
    }

    /** How many cells the grid has. */
    public int size() {
        return jobs.size();
    }

    /** How many cells had finished before this run. */
    public int finishedBefore() {
        return finished.size();
    }

    /**
     * Runs the cells that have not finished on {@code executor}, with progress on {@code out}, and
     * returns every cell's record in the grid's order (those that finished before read back).
     */
    public List<CellRecord> run(GridExecutor executor, CellRun work, PrintWriter out) {
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (!finished.containsKey(i)) {
                todo.add(i);
            }
        }
        if (!finished.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "--resume: %d cells finished before and are read from their folders; %d to run%n",
                    finished.size(),
                    todo.size());
            out.flush();
        }
        List<CellJob> toRun = todo.stream().map(jobs::get).toList();
        List<CellRecord> ran =
                executor.run(
                        toRun, work, new GridProgress(out, toRun, jobs.size(), finished.size()));
        CellRecord[] all = new CellRecord[jobs.size()];
        finished.forEach((i, r) -> all[i] = r);
        for (int k = 0; k < todo.size(); k++) {
            all[todo.get(k)] = ran.get(k);
        }
        return Collections.unmodifiableList(List.of(all));
    }
}
