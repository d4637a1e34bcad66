package io.rankwise.cli.train;

import io.rankwise.cli.report.EvalEntry;
import io.rankwise.cli.report.MetricsLog;
import io.rankwise.cli.report.MetricsWriter;
import io.rankwise.cli.report.RunPlots;
import io.rankwise.cli.report.RunReport;
import io.rankwise.cli.report.RunTimings;
import io.rankwise.cli.report.StepEntry;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.RunListener;
import io.rankwise.training.RunResult;
import io.rankwise.training.eval.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's folder as it goes: {@code config.yaml} and {@code metrics.jsonl} (one line per
 * logged step and per evaluation, flushed at once so that a killed run keeps what it logged), and
 * at the end the plots ({@code plots/}: loss, budget, rank-pattern heat map; a LoRA run, which
 * keeps its rank, the loss only) and {@code report.md}. The run itself writes {@code checkpoint/},
 * {@code rank_pattern.json} and {@code adapter/}. Final files are replaced atomically; the command
 * holds the folder's {@link RunFolderLock} throughout.
 */
public final class RunFolder implements RunListener, AutoCloseable {
    private final Path dir;
    private final String resolvedConfig;
    private MetricsWriter metrics;
    private String plan = "";
    private long started;
    private long resumedAfter = -1;

    /**
     * The seconds the stopped run had logged by its checkpoint: a resumed run's clock continues
     * from there.
     */
    private double secondsBefore;

    /**
     * A folder for a run. Nothing is written until the run has started (so that settings refused
     * before training leave nothing behind); then the resolved configuration goes to {@code
     * config.yaml} and the metrics log is opened; a resumed run drops the lines logged after its
     * checkpoint (they are logged again) and continues the clock of the stopped run.
     */
    public RunFolder(Path dir, String resolvedConfig) {
        this.dir = dir;
        this.resolvedConfig = resolvedConfig;
    }

    @Override
    public void resumed(long checkpointStep) {
        resumedAfter = checkpointStep;
    }

    @Override
    public void started(long totalSteps, String plan) {
        this.plan = plan;
        this.started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            AtomicFiles.replace(
                    dir.resolve("config.yaml"),
                    temp -> Files.writeString(temp, resolvedConfig, StandardCharsets.UTF_8));
            Path log = dir.resolve(MetricsLog.FILE_NAME);
            if (resumedAfter >= 0) {
                metrics = MetricsWriter.resume(log, resumedAfter);
                List<StepEntry> before = MetricsLog.read(log).steps();
                secondsBefore = before.isEmpty() ? 0 : before.get(before.size() - 1).seconds();
            } else {
                metrics = MetricsWriter.append(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void step(long step, double loss, double lr, int budget, double seconds) {
        try {
            metrics.step(new StepEntry(step, loss, lr, budget, secondsBefore + seconds));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void evaluated(long step, Evaluation evaluation) {
        try {
            metrics.eval(new EvalEntry(step, evaluation.split(), evaluation.values()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finished(RunResult result) {
        try {
            metrics.close();
            List<Path> plots =
                    RunPlots.writeAll(
                            MetricsLog.read(dir.resolve(MetricsLog.FILE_NAME)),
                            result.rankPattern(),
                            !result.fixedRank(),
                            dir.resolve("plots"));
            new RunReport(
                            dir.getFileName().toString(),
                            resolvedConfig,
                            plan,
                            result.evaluation().values(),
                            result.rankPattern(),
                            new RunTimings(
                                    result.steps(),
                                    secondsBefore + (System.nanoTime() - started) / 1e9,
                                    result.secondsPerStep(),
                                    result.peakMemoryMiB()),
                            RunReport.links(dir, plots))
                    .write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (metrics != null) {
            metrics.close();
        }
    }
}
