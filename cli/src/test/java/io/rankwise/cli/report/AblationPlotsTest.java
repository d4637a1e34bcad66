package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation's comparison and timing plots. */
class AblationPlotsTest {
    @TempDir Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** The paper's five configurations, three seeds each, on two backends. */
    static List<AblationCellResult> grid() {
        String[][] pairs = {
            {"adam", "sensitivity"},
            {"ivon", "sensitivity"},
            {"ivon", "snr"},
            {"ivon", "magnitude"},
            {"ivon", "variance"}
        };
        List<AblationCellResult> cells = new ArrayList<>();
        for (String backend : new String[] {"djl", "tensorflow"}) {
            for (int p = 0; p < pairs.length; p++) {
                for (int seed = 1; seed <= 3; seed++) {
                    double acc = 0.85 + 0.02 * p + 0.01 * Math.sin(seed * 7 + p);
                    double sps = (backend.equals("djl") ? 0.3 : 0.45) + 0.05 * p + 0.01 * seed;
                    cells.add(
                            new AblationCellResult(
                                    backend,
                                    pairs[p][0],
                                    pairs[p][1],
                                    "demo:spam",
                                    seed,
                                    AblationTableTest.values("accuracy", acc, "nll", 0.3),
                                    sps,
                                    900));
                }
            }
        }
        return cells;
    }

    @Test
    void writesTheComparisonPerTaskAndTheTimingPlot() throws IOException {
        List<Path> files = AblationPlots.writeAll(AblationTable.of(grid()), dir);
        assertEquals(
                List.of(
                        dir.resolve("comparison_demo-spam.png"),
                        dir.resolve("seconds_per_step.png")),
                files);
        for (Path f : files) {
            Pngs.assertDrawn(f, 900, 500);
        }
    }

    @Test
    void singleSeedsAndSeveralTasksStillPlot() throws IOException {
        List<AblationCellResult> cells =
                List.of(
                        new AblationCellResult(
                                "",
                                "ivon",
                                "snr",
                                "glue:cola",
                                1,
                                AblationTableTest.values("matthews", 0.4),
                                0.2,
                                1),
                        new AblationCellResult(
                                "",
                                "ivon",
                                "snr",
                                "glue:sst-2",
                                1,
                                AblationTableTest.values("accuracy", 0.9),
                                0.3,
                                1));
        List<Path> files = AblationPlots.writeAll(AblationTable.of(cells), dir);
        assertEquals(
                List.of(
                        dir.resolve("comparison_glue-cola.png"),
                        dir.resolve("comparison_glue-sst-2.png"),
                        dir.resolve("seconds_per_step.png")),
                files);
        for (Path f : files) {
            Pngs.assertDrawn(f, 900, 500);
        }
    }
}
