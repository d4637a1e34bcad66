package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plots, the run report and the ablation table are replaced atomically: a plot whose writing fails
 * (a full disk, an error while drawing) keeps the earlier PNG, whole, and leaves no empty or
 * partial file behind, where it used to leave a 0-byte PNG.
 */
class AtomicPlotWriteTest {
    @TempDir Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void aPlotThatFailsMidwayKeepsTheEarlierPngAndNoTemporary() throws IOException {
        Path plots = dir.resolve("plots");
        Path loss = RunPlots.lossCurve(RunPlotsTest.log(), plots.resolve(RunPlots.LOSS));
        byte[] before = Files.readAllBytes(loss);

        JFreeChart failing = new JFreeChart(new FailingPlot());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Charts.save(failing, loss));
        assertEquals("No space left on device", e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(loss), "the earlier plot, whole");
        Pngs.assertDrawn(loss, Charts.WIDTH, Charts.HEIGHT);
        assertEquals(List.of(RunPlots.LOSS), names(plots), "no temporary or empty file left");
    }

    @Test
    void reportAndTableWritesLeaveOnlyTheirFiles() throws IOException {
        AblationTable table = AblationTable.of(AblationTableTest.smallGrid());
        table.write(dir);
        table.write(dir, "\n## more\n");
        assertEquals(
                List.of(AblationTable.CSV, AblationTable.MARKDOWN),
                names(dir),
                "replaced in place, no temporary files");
        assertEquals(
                table.toMarkdown() + "\n## more\n",
                Files.readString(dir.resolve(AblationTable.MARKDOWN)));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Draws its background, then fails, as a write does when the disk fills up midway. */
    private static final class FailingPlot extends XYPlot {
        private static final long serialVersionUID = 1L;

        FailingPlot() {
            super(new XYSeriesCollection(), null, null, null);
        }

        @Override
        public void draw(
                Graphics2D g2,
                Rectangle2D area,
                Point2D anchor,
                PlotState parentState,
                PlotRenderingInfo info) {
            drawBackground(g2, area);
            throw new IllegalStateException("No space left on device");
        }
    }
}
