package io.rankwise.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Draws a {@link RankGrid} as a heat map: rows are layers (layer 0 at the top, as the encoder is
 * usually drawn), columns are matrix types, colour and the printed number are the surviving rank,
 * and a colour bar on the right gives the scale from 0 to init_r. Cells without an adapter are grey
 * and marked "–", so that "pruned to 0" and "never adapted" cannot be confused.
 */
final class RankHeatMap {
    /** Cells are drawn slightly smaller than their slot so that white gaps separate them. */
    private static final double CELL = 0.94;

    private static final Color NO_ADAPTER = new Color(0xD9D9D9);

    private RankHeatMap() {}

    static Path write(RankGrid grid, Path file) throws IOException {
        JFreeChart chart = chart(grid);
        // Taller for deep models so that every row keeps room for its number.
        int height = Math.max(Charts.HEIGHT, 140 + 34 * grid.rows().size());
        return Charts.save(chart, file, Charts.WIDTH, height);
    }

    static JFreeChart chart(RankGrid grid) {
        int rows = grid.rows().size();
        int cols = grid.columns().size();
        RankPaintScale scale = new RankPaintScale(grid.maxRank());

        DefaultXYZDataset data = new DefaultXYZDataset();
        double[][] xyz = new double[3][rows * cols];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (grid.hasAdapter(r, c)) {
                    xyz[0][k] = c;
                    xyz[1][k] = r;
                    xyz[2][k] = grid.rank(r, c);
                    k++;
                }
            }
        }
        data.addSeries("surviving rank", trim(xyz, k));

        SymbolAxis x =
                new SymbolAxis(
                        "matrix type",
                        grid.columns().stream()
                                .map(RankHeatMap::shortLabel)
                                .toArray(String[]::new));
        x.setGridBandsVisible(false);
        SymbolAxis y = new SymbolAxis("layer", grid.rows().toArray(String[]::new));
        y.setGridBandsVisible(false);
        y.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(CELL);
        renderer.setBlockHeight(CELL);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, renderer);

        JFreeChart chart =
                new JFreeChart(
                        "Final rank pattern: "
                                + grid.totalRank()
                                + " of "
                                + grid.totalCapacity()
                                + " ranks survive",
                        plot);
        chart.removeLegend();
        Charts.applyTheme(chart);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        // The axis hides labels that would overlap, and "attention.output.dense" is wider than a
        // column at any readable size; a slightly smaller font plus one abbreviation fits all six.
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        annotate(grid, plot, scale);
        chart.addSubtitle(legend(grid, scale));
        return chart;
    }

    /** Prints each cell's rank on it, and greys out cells without an adapter. */
    private static void annotate(RankGrid grid, XYPlot plot, RankPaintScale scale) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        double half = CELL / 2;
        for (int r = 0; r < grid.rows().size(); r++) {
            for (int c = 0; c < grid.columns().size(); c++) {
                XYTextAnnotation label;
                if (grid.hasAdapter(r, c)) {
                    int rank = grid.rank(r, c);
                    label = new XYTextAnnotation(Integer.toString(rank), c, r);
                    label.setPaint(scale.isDark(rank) ? Color.WHITE : Color.BLACK);
                } else {
                    plot.addAnnotation(
                            new XYBoxAnnotation(
                                    c - half,
                                    r - half,
                                    c + half,
                                    r + half,
                                    new BasicStroke(0f),
                                    NO_ADAPTER,
                                    NO_ADAPTER));
                    label = new XYTextAnnotation("–", c, r);
                    label.setPaint(Color.DARK_GRAY);
                }
                label.setFont(font);
                label.setTextAnchor(TextAnchor.CENTER);
                plot.addAnnotation(label);
            }
        }
    }

    /** The column label as drawn; the report's table keeps the full names. */
    private static String shortLabel(String type) {
        return type.equals("attention.output.dense") ? "attn.output.dense" : type;
    }

    private static PaintScaleLegend legend(RankGrid grid, RankPaintScale scale) {
        NumberAxis axis = new NumberAxis("surviving rank");
        axis.setRange(0, scale.getUpperBound());
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setStripWidth(18);
        legend.setSubdivisionCount(Math.max(2, grid.maxRank() * 8));
        legend.setMargin(new RectangleInsets(30, 10, 30, 10));
        legend.setBackgroundPaint(Color.WHITE);
        return legend;
    }

    private static double[][] trim(double[][] xyz, int n) {
        double[][] out = new double[3][n];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(xyz[i], 0, out[i], 0, n);
        }
        return out;
    }
}
