package io.rankwise.cli.grid;

import io.rankwise.api.Device;
import io.rankwise.api.grid.CellContext;
import io.rankwise.api.grid.CellWork;
import io.rankwise.api.plugin.PluginPath;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.cli.train.RunFolderLock;
import io.rankwise.cli.train.RunPlan;
import io.rankwise.models.data.Task;
import io.rankwise.training.RunResult;
import io.rankwise.training.checkpoint.Checkpoint;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.spec.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one cell wherever the executor put it: the same run folder as {@code rankwise train} would
 * write ({@code config.yaml}, {@code metrics.jsonl}, checkpoint, adapter, plots, report), then
 * {@code cell.json}. An attempt that finds the cell finished returns its record; one that finds a
 * checkpoint left by a stopped attempt continues from it (resume is exact); one that finds only an
 * unfinished log starts the run again.
 *
 * <p>The executor's grant is applied to the run: the engine's threads are set to the cores of the
 * attempt, and an accelerator the executor assigned (a GPU address) replaces the configured device.
 */
public final class CellRun implements CellWork<CellJob, CellRecord> {
    private static final long serialVersionUID = 1L;

    /** Plugins by plugin-jar list, one discovery per JVM (cells run many times in an executor). */
    private static final Map<List<String>, Plugins> PLUGINS = new ConcurrentHashMap<>();

    /** Loaded tasks by data section and seed: cells of one task share it within a JVM. */
    private static final Map<String, Task> TASKS = new ConcurrentHashMap<>();

    private static final int MAX_TASKS = 4;

    /** The driver's own plugins, when the cell runs in the driver's JVM. */
    private final transient Plugins driverPlugins;

    private final boolean showProgress;

    /**
     * @param driverPlugins the plugins the command found, used when the cell runs in this JVM
     * @param showProgress whether the run prints its progress line (only when cells run one at a
     *     time on this terminal)
     */
    public CellRun(Plugins driverPlugins, boolean showProgress) {
        this.driverPlugins = driverPlugins;
        this.showProgress = showProgress;
    }

    @Override
    public CellRecord run(CellJob job, CellContext context) throws IOException {
        try {
            return runCell(job, context);
        } catch (IllegalArgumentException e) {
            // Bad input stays bad input (exit 2 in-process), named.
            throw new IllegalArgumentException("cell " + job.id() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Named, because an executor reports a failure far from the grid that explains it.
            throw new CellFailedException(job.id(), e);
        }
    }

    private CellRecord runCell(CellJob job, CellContext context) throws IOException {
        Path folder = Path.of(job.folder());
        // One writer per cell folder, across JVMs (a cell of a Spark grid runs in an executor's):
        // an attempt of the same cell still running elsewhere makes this one fail, named.
        try (RunFolderLock lock =
                RunFolderLock.acquire(folder, "ablate cell " + job.id(), System.err::println)) {
            return runLocked(job, context, folder);
        }
    }

    private CellRecord runLocked(CellJob job, CellContext context, Path folder) throws IOException {
        var finished = CellRecord.read(folder);
        if (finished.isPresent()) {
            return finished.get();
        }
        boolean resume = Files.isRegularFile(Checkpoint.file(folder));
        if (!resume) {
            // An attempt that stopped before its first checkpoint left a log that a new start
            // would append to.
            Files.deleteIfExists(folder.resolve(MetricsLog.FILE_NAME));
        }
        RunSpec configured = job.spec();
        Device device = context.device().map(Device::parse).orElse(configured.backend().device());
        RunSpec spec =
                configured.withBackend(
                        new RunSpec.Backend(configured.backend().name(), device, context.cpus()));
        RunResult result =
                RunPlan.runInFolder(
                        plugins(job),
                        spec,
                        job.resolvedConfig(),
                        task(spec),
                        folder,
                        resume,
                        showProgress);
        CellRecord record =
                new CellRecord(
                        job.id(),
                        result.backend(),
                        job.optimizer(),
                        job.metric(),
                        spec.task().name(),
                        job.seed(),
                        result.evaluation().values(),
                        result.rankPattern(),
                        result.secondsPerStep(),
                        result.peakMemoryMiB(),
                        context.host(),
                        device.toString(),
                        context.cpus(),
                        spec.adapter().kind());
        record.write(folder);
        return record;
    }

    private Plugins plugins(CellJob job) {
        if (driverPlugins != null) {
            return driverPlugins;
        }
        return PLUGINS.computeIfAbsent(
                job.pluginJars(),
                jars ->
                        Plugins.discover(
                                PluginPath.ofJars(
                                        jars.stream().map(Path::of).toList(),
                                        CellRun.class.getClassLoader())));
    }

    private static Task task(RunSpec spec) throws IOException {
        String key = spec.task() + "#" + spec.training().seed();
        Task cached = TASKS.get(key);
        if (cached == null) {
            cached = Tasks.load(spec.task(), spec.training().seed());
            if (TASKS.size() >= MAX_TASKS) {
                TASKS.clear(); // a grid's cells come task by task: old ones are not needed again
            }
            TASKS.put(key, cached);
        }
        return cached;
    }

    /** A cell's run failed: the message names the cell and what went wrong. */
    public static final class CellFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CellFailedException(String cell, Exception cause) {
            super("cell " + cell + ": " + cause.getMessage(), cause);
        }
    }
}
