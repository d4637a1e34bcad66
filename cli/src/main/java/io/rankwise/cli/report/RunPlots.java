package io.rankwise.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The plots of one run, as PNG: the loss curve (with the first evaluated metric on a second axis),
 * the rank budget over steps, and the final rank pattern as a heat map. A plain LoRA run keeps its
 * rank, so it gets the loss curve only: its budget is a flat line and it has no rank pattern.
 */
public final class RunPlots {
    /** File names inside {@code plots/}. */
    public static final String LOSS = "loss.png";

    public static final String BUDGET = "budget.png";
    public static final String RANK_PATTERN = "rank_pattern.png";

    private RunPlots() {}

    /**
     * Writes every plot there is data for into {@code plotsDir}: the curves when {@code log} has
     * steps, the heat map when {@code pattern} is not empty. Returns the files written, in the
     * order a report shows them.
     */
    public static List<Path> writeAll(MetricsLog log, Map<String, boolean[]> pattern, Path plotsDir)
            throws IOException {
        return writeAll(log, pattern, true, plotsDir);
    }

    /**
     * As {@link #writeAll(MetricsLog, Map, Path)}, with the budget curve only when {@code
     * allocated} (an AdaLoRA run; a LoRA run's budget is its constant total rank).
     */
    public static List<Path> writeAll(
            MetricsLog log, Map<String, boolean[]> pattern, boolean allocated, Path plotsDir)
            throws IOException {
        List<Path> written = new ArrayList<>();
        if (!log.steps().isEmpty()) {
            written.add(lossCurve(log, plotsDir.resolve(LOSS)));
            if (allocated) {
                written.add(budgetCurve(log, plotsDir.resolve(BUDGET)));
            }
        }
        if (!pattern.isEmpty()) {
            written.add(rankPattern(pattern, plotsDir.resolve(RANK_PATTERN)));
        }
        return written;
    }

    /**
     * Training loss over steps. When the log has evaluations, the first metric the evaluator
     * reported (the task's own: accuracy, Matthews correlation, …) is drawn as points on a right
     * axis, since its scale has nothing to do with the loss's.
     */
    public static Path lossCurve(MetricsLog log, Path file) throws IOException {
        XYSeries loss = series("training loss");
        for (StepEntry s : log.steps()) {
            // A diverged step would stretch the axis to infinity and hide the rest of the curve.
            if (Double.isFinite(s.loss())) {
                loss.addOrUpdate(s.step(), s.loss());
            }
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Training loss",
                        "step",
                        "loss",
                        new XYSeriesCollection(loss),
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        Charts.applyTheme(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, false);
        lossRenderer.setSeriesPaint(0, Charts.PALETTE[0]);
        lossRenderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(0, lossRenderer);
        integerSteps(plot);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);

        log.evalMetricNames().stream()
                .findFirst()
                .ifPresent(
                        metric -> {
                            XYSeries eval =
                                    series(metric + " (" + log.evals().get(0).split() + ")");
                            log.evals().stream()
                                    .filter(
                                            e ->
                                                    e.values().containsKey(metric)
                                                            && Double.isFinite(
                                                                    e.values().get(metric)))
                                    .forEach(
                                            e ->
                                                    eval.addOrUpdate(
                                                            (double) e.step(),
                                                            e.values().get(metric).doubleValue()));
                            NumberAxis axis = new NumberAxis(metric);
                            axis.setAutoRangeIncludesZero(false);
                            axis.setLabelFont(plot.getRangeAxis().getLabelFont());
                            axis.setTickLabelFont(plot.getRangeAxis().getTickLabelFont());
                            plot.setRangeAxis(1, axis);
                            plot.setDataset(1, new XYSeriesCollection(eval));
                            plot.mapDatasetToRangeAxis(1, 1);
                            XYLineAndShapeRenderer evalRenderer =
                                    new XYLineAndShapeRenderer(true, true);
                            evalRenderer.setSeriesPaint(0, Charts.PALETTE[1]);
                            evalRenderer.setSeriesStroke(
                                    0,
                                    new BasicStroke(
                                            1.5f,
                                            BasicStroke.CAP_ROUND,
                                            BasicStroke.JOIN_ROUND,
                                            1f,
                                            new float[] {6f, 4f},
                                            0f));
                            plot.setRenderer(1, evalRenderer);
                            chart.setTitle("Training loss and " + metric);
                        });
        return Charts.save(chart, file);
    }

    /**
     * The allocator's total rank budget over steps: flat during warm-up, the cubic decrease, then
     * flat at the target. Drawn as steps because the budget changes only at logged points.
     */
    public static Path budgetCurve(MetricsLog log, Path file) throws IOException {
        XYSeries budget = series("rank budget");
        log.steps().forEach(s -> budget.addOrUpdate(s.step(), s.budget()));
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Rank budget",
                        "step",
                        "total rank (surviving triplets)",
                        new XYSeriesCollection(budget),
                        PlotOrientation.VERTICAL,
                        false,
                        false,
                        false);
        Charts.applyTheme(chart);
        XYPlot plot = chart.getXYPlot();
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, Charts.PALETTE[2]);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        integerSteps(plot);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        range.setAutoRangeIncludesZero(true);
        plot.setBackgroundPaint(Color.WHITE);
        return Charts.save(chart, file);
    }

    /**
     * The final rank pattern as a heat map, layer × matrix type, colour and printed number = the
     * surviving rank (see {@link RankGrid} for the layout).
     */
    public static Path rankPattern(Map<String, boolean[]> pattern, Path file) throws IOException {
        return RankHeatMap.write(RankGrid.of(pattern), file);
    }

    /**
     * A series sorted by step that keeps one point per step: a resumed run logs again the steps
     * after its last checkpoint, and the later value (the one the run went on from) wins.
     */
    private static XYSeries series(String name) {
        return new XYSeries(name, true, false);
    }

    private static void integerSteps(XYPlot plot) {
        NumberAxis domain = (NumberAxis) plot.getDomainAxis();
        domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        domain.setAutoRangeIncludesZero(false);
    }
}
