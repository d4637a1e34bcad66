package io.rankwise.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * The comparison plots of an ablation, as PNG: for each task, its main metric per configuration
 * (bars = mean over seeds, error bars = sample std, one bar group per backend), and the seconds per
 * step of every configuration, grouped the same way.
 */
public final class AblationPlots {
    /** File name of the timing plot; comparison plots are {@code comparison_<task>.png}. */
    public static final String SECONDS_PER_STEP = "seconds_per_step.png";

    private AblationPlots() {}

    /**
     * Writes the comparison plot of every task and the timing plot into {@code dir}; returns the
     * files.
     */
    public static List<Path> writeAll(AblationTable table, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String task : table.tasks()) {
            if (table.mainMetric(task).isPresent()) {
                written.add(
                        comparison(
                                table,
                                task,
                                dir.resolve("comparison_" + Charts.slug(task) + ".png")));
            }
        }
        if (!table.rows().isEmpty()) {
            written.add(secondsPerStep(table, dir.resolve(SECONDS_PER_STEP)));
        }
        return written;
    }

    /**
     * {@code task}'s main metric (the first its evaluator reported) per configuration and backend.
     * Bars start at zero so that their lengths compare honestly; the printed means carry the small
     * differences that bars from zero cannot show.
     */
    public static Path comparison(AblationTable table, String task, Path file) throws IOException {
        String metric =
                table.mainMetric(task)
                        .orElseThrow(
                                () -> new IllegalArgumentException("no metric for task " + task));
        List<AblationRow> rows = table.rows().stream().filter(r -> r.task().equals(task)).toList();
        JFreeChart chart =
                barChart(
                        task + ": " + metric + " by configuration (mean ± std over seeds)",
                        metric,
                        rows,
                        r -> r.value(metric),
                        AblationRow::backend,
                        "0.000");
        return Charts.save(chart, file);
    }

    /**
     * Mean seconds per training step per configuration. Grouped by backend, and by task too when
     * there are several, since sequence lengths (and so step times) differ between tasks.
     */
    public static Path secondsPerStep(AblationTable table, Path file) throws IOException {
        boolean severalTasks = table.tasks().size() > 1;
        Function<AblationRow, String> group =
                severalTasks ? r -> r.backend() + " / " + r.task() : AblationRow::backend;
        JFreeChart chart =
                barChart(
                        "Seconds per training step (mean ± std over seeds)",
                        "seconds per step",
                        table.rows(),
                        AblationRow::secondsPerStep,
                        group,
                        "0.000");
        return Charts.save(chart, file);
    }

    private static JFreeChart barChart(
            String title,
            String valueLabel,
            List<AblationRow> rows,
            Function<AblationRow, Summary> value,
            Function<AblationRow, String> group,
            String labelFormat) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (AblationRow r : rows) {
            Summary s = value.apply(r);
            if (s.n() > 0) {
                // No error bar for a single seed: a zero-length bar would claim a spread of 0.
                Number std = s.hasSpread() ? Double.valueOf(s.std()) : null;
                data.add(Double.valueOf(s.mean()), std, r.configuration(), group.apply(r));
            }
        }
        CategoryAxis x = new CategoryAxis("backend");
        NumberAxis y = new NumberAxis(valueLabel);
        y.setAutoRangeIncludesZero(true);
        y.setUpperMargin(0.12);
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        JFreeChart chart = new JFreeChart(title, plot);
        Charts.applyTheme(chart);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setErrorIndicatorStroke(new BasicStroke(1.5f));
        renderer.setItemMargin(0.05);
        renderer.setDrawBarOutline(false);
        renderer.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(labelFormat)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // Means go at the foot of the bars, where the error bars cannot run through them.
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.INSIDE6, TextAnchor.BOTTOM_CENTER));
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, Charts.PALETTE[i % Charts.PALETTE.length]);
        }
        x.setCategoryMargin(0.2);
        return chart;
    }
}
