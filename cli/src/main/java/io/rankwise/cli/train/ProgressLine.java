package io.rankwise.cli.train;

import io.rankwise.training.RunListener;
import io.rankwise.training.eval.Evaluation;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on the terminal: step, steps per second, ETA, loss and current budget, rewritten in
 * place when the stream is a terminal, one line per report otherwise (logs, CI).
 */
public final class ProgressLine implements RunListener {
    private final PrintStream out;
    private final boolean interactive;
    private long total;
    private long firstStep = -1;
    private double firstSeconds;

    /** Reports to {@code out}. */
    public ProgressLine(PrintStream out) {
        this.out = out;
        this.interactive = System.console() != null;
    }

    @Override
    public void started(long totalSteps, String plan) {
        total = totalSteps;
        out.println(plan);
    }

    @Override
    public void step(long step, double loss, double lr, int budget, double seconds) {
        if (firstStep < 0) {
            firstStep = step;
            firstSeconds = seconds;
        }
        double rate =
                step > firstStep
                        ? (step - firstStep) / Math.max(1e-9, seconds - firstSeconds)
                        : step / Math.max(1e-9, seconds);
        long eta = (long) ((total - step) / Math.max(1e-9, rate));
        String line =
                String.format(
                        Locale.ROOT,
                        "step %d/%d  %.2f steps/s  ETA %d:%02d  loss %.4f  lr %.3g  budget %d",
                        step,
                        total,
                        rate,
                        eta / 60,
                        eta % 60,
                        loss,
                        lr,
                        budget);
        if (interactive) {
            out.print("\r" + line + "   ");
            if (step == total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void evaluated(long step, Evaluation evaluation) {
        StringBuilder sb = new StringBuilder(interactive ? "\n" : "");
        sb.append(String.format(Locale.ROOT, "eval at step %d on %s:", step, evaluation.split()));
        evaluation
                .values()
                .forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        out.println(sb);
    }
}
