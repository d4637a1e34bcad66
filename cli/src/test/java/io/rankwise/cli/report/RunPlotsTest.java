package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's plots are written, decode, have the expected size and are drawn on. */
class RunPlotsTest {
    @TempDir Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A six-layer MiniLM-like pattern with init_r 8 whose ranks vary by layer and type. */
    static Map<String, boolean[]> pattern() {
        Map<String, boolean[]> p = new LinkedHashMap<>();
        String[] modules = {
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
            "intermediate.dense",
            "output.dense"
        };
        for (int layer = 0; layer < 6; layer++) {
            for (int t = 0; t < modules.length; t++) {
                boolean[] mask = new boolean[8];
                int keep = (layer * 3 + t * 5) % 9;
                for (int i = 0; i < keep; i++) {
                    mask[i] = true;
                }
                p.put("encoder.layer." + layer + "." + modules[t] + ".lora_E", mask);
            }
        }
        return p;
    }

    /** 200 steps of a decaying loss, a cubic budget schedule, and an evaluation every 50 steps. */
    static MetricsLog log() {
        List<StepEntry> steps = new ArrayList<>();
        List<EvalEntry> evals = new ArrayList<>();
        for (int s = 1; s <= 200; s++) {
            double loss = 0.7 * Math.exp(-s / 60.0) + 0.1 + 0.03 * Math.sin(s);
            double progress = Math.min(1, Math.max(0, (s - 40) / 120.0));
            int budget = (int) Math.round(144 - (144 - 72) * (1 - Math.pow(1 - progress, 3)));
            steps.add(new StepEntry(s, loss, 1e-3, budget, s * 0.1));
            if (s % 50 == 0) {
                evals.add(new EvalEntry(s, "validation", Map.of("accuracy", 0.6 + s / 800.0)));
            }
        }
        return new MetricsLog(steps, evals, 0);
    }

    @Test
    void writesLossBudgetAndRankPatternPlots() throws IOException {
        List<Path> files = RunPlots.writeAll(log(), pattern(), dir.resolve("plots"));
        assertEquals(
                List.of(
                        dir.resolve("plots/loss.png"),
                        dir.resolve("plots/budget.png"),
                        dir.resolve("plots/rank_pattern.png")),
                files);
        Pngs.assertDrawn(files.get(0), 900, 500);
        Pngs.assertDrawn(files.get(1), 900, 500);
        Pngs.assertDrawn(files.get(2), 900, 500);
    }

    @Test
    void theLossPlotWorksWithoutEvaluationsAndSkipsADivergedStep() throws IOException {
        List<StepEntry> steps = new ArrayList<>(log().steps());
        steps.add(new StepEntry(201, Double.NaN, 1e-3, 72, 20.1));
        Path file =
                RunPlots.lossCurve(new MetricsLog(steps, List.of(), 0), dir.resolve("loss.png"));
        Pngs.assertDrawn(file, 900, 500);
    }

    @Test
    void aDeepModelGetsATallerHeatMap() throws IOException {
        Map<String, boolean[]> p = new LinkedHashMap<>();
        for (int layer = 0; layer < 24; layer++) {
            p.put(
                    "encoder.layer." + layer + ".attention.self.query.lora_E",
                    new boolean[] {true, layer % 2 == 0});
        }
        BufferedImage image =
                Pngs.assertDrawn(
                        RunPlots.rankPattern(p, dir.resolve("deep.png")), 900, 140 + 34 * 24);
        assertEquals(956, image.getHeight());
    }

    @Test
    void writesOnlyWhatThereIsDataFor() throws IOException {
        assertEquals(
                List.of(),
                RunPlots.writeAll(new MetricsLog(List.of(), List.of(), 0), Map.of(), dir));
    }
}
