package io.rankwise.cli.report;

import io.rankwise.models.weights.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;

/**
 * The look shared by every chart of a report and the one way they are saved, so that all PNGs have
 * the same size, fonts and background.
 */
final class Charts {
    /** Default image size: wide enough for six matrix-type columns with readable labels. */
    static final int WIDTH = 900;

    static final int HEIGHT = 500;

    /** Colours for series, chosen to stay distinguishable for common colour-vision deficiencies. */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)
    };

    static {
        // Reports are written by a command line, often on a machine without a display; AWT must
        // know before the first chart object is made, or font metrics fail there.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * A theme with larger fonts than JFreeChart's defaults, which are hard to read at 900×500.
     * Apply it before setting any series colours of one's own: it resets them.
     */
    static void applyTheme(JFreeChart chart) {
        StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        theme.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(new Color(0xDDDDDD));
        theme.setRangeGridlinePaint(new Color(0xDDDDDD));
        theme.setBarPainter(new StandardBarPainter());
        theme.setShadowVisible(false);
        theme.setDrawingSupplier(
                new DefaultDrawingSupplier(
                        PALETTE,
                        DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                        DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
                        DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
                        DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
                        DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        theme.apply(chart);
        Plot plot = chart.getPlot();
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlineStroke(new BasicStroke(1f));
            xy.setRangeGridlineStroke(new BasicStroke(1f));
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlineStroke(new BasicStroke(1f));
        }
    }

    /**
     * Saves {@code chart} as a PNG of the default size, creating the folder; returns {@code file}.
     */
    static Path save(JFreeChart chart, Path file) throws IOException {
        return save(chart, file, WIDTH, HEIGHT);
    }

    /**
     * Saves {@code chart} as a PNG of the given size, creating the folder; returns {@code file}.
     * Atomically: drawn into a temporary file beside it, then renamed, so that a failure (a full
     * disk, an error while drawing) keeps the earlier plot and leaves no empty or partial PNG.
     */
    static Path save(JFreeChart chart, Path file, int width, int height) throws IOException {
        AtomicFiles.replace(
                file, temp -> ChartUtils.saveChartAsPNG(temp.toFile(), chart, width, height));
        return file;
    }

    /** A file-name-safe form of a label such as {@code glue:sst-2}. */
    static String slug(String label) {
        String s = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "-");
        return s.replaceAll("^-+|-+$", "");
    }
}
