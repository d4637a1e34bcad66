package io.rankwise.cli.grid;

import io.rankwise.api.grid.CellDone;
import io.rankwise.api.grid.GridListener;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's progress on the terminal: a header as a cell starts (where the executor says so), and
 * a line as each finishes, with its place in the count, the host that ran it, the task's metric and
 * its speed.
 */
public final class GridProgress implements GridListener<CellRecord> {
    private final PrintWriter out;
    private final List<CellJob> jobs;
    private final int total;
    private final int before;

    /**
     * @param out the terminal
     * @param jobs the cells being run, in the executor's order
     * @param total the cells of the whole grid, those finished earlier included
     * @param before how many of them had finished before this run (read, not run again)
     */
    public GridProgress(PrintWriter out, List<CellJob> jobs, int total, int before) {
        this.out = out;
        this.jobs = jobs;
        this.total = total;
        this.before = before;
    }

    @Override
    public void started(int index, String host) {
        out.printf(Locale.ROOT, "%n[%d/%d] %s%n", before + index + 1, total, jobs.get(index).id());
        out.flush();
    }

    @Override
    public void finished(CellDone<CellRecord> done) {
        CellRecord r = done.result();
        out.printf(
                Locale.ROOT,
                "cell %d/%d done: %s on %s (%s, %s), %s, %.2f s/step%n",
                before + done.done(),
                total,
                r.id(),
                done.host(),
                r.device(),
                switch (r.threads()) {
                    case 0 -> "engine threads";
                    case 1 -> "1 thread";
                    default -> r.threads() + " threads";
                },
                firstMetric(r.values()),
                r.secondsPerStep());
        out.flush();
    }

    private static String firstMetric(Map<String, Double> values) {
        return values.entrySet().stream()
                .findFirst()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .orElse("no metrics");
    }
}
