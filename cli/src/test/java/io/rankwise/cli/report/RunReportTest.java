package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.md for a small run, checked as exact text. */
class RunReportTest {

    private static RunReport report(List<String> plots) {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        pattern.put(
                "encoder.layer.0.attention.self.query.lora_E",
                new boolean[] {true, false, true, false});
        pattern.put(
                "encoder.layer.1.output.dense.lora_E", new boolean[] {false, false, false, false});
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.91234);
        metrics.put("ece", 0.0421);
        return new RunReport(
                "spam-ivon-snr",
                "model:\n  name: minilm-l6\n",
                "warm-up 0-99, pruning 100-399, final 400-499",
                metrics,
                pattern,
                new RunTimings(500, 61.25, 0.1225, 812.4),
                plots);
    }

    @Test
    void rendersEverySection() {
        String expected =
                """
                # Run report: spam-ivon-snr

                ## Configuration

                ```yaml
                model:
                  name: minilm-l6
                ```

                ## Phase plan

                warm-up 0-99, pruning 100-399, final 400-499

                ## Final metrics

                | metric | value |
                | --- | ---: |
                | accuracy | 0.9123 |
                | ece | 0.0421 |

                ## Rank pattern

                Surviving rank per layer and matrix type; total 2 of 8 ("–": no adapter).

                | layer | query | key | value | attention.output.dense | intermediate.dense | output.dense |
                | --- | ---: | ---: | ---: | ---: | ---: | ---: |
                | 0 | 2 | – | – | – | – | – |
                | 1 | – | – | – | – | – | 0 |

                ## Timings

                | | |
                | --- | ---: |
                | steps | 500 |
                | total time | 61.3 s |
                | seconds per step | 0.123 |
                | peak memory | 812 MiB |

                ## Plots

                ![loss](plots/loss.png)

                ![rank pattern](plots/rank_pattern.png)

                """;
        assertEquals(
                expected, report(List.of("plots/loss.png", "plots/rank_pattern.png")).toMarkdown());
    }

    @Test
    void linksArePlotPathsRelativeToTheRunFolder(@TempDir Path dir) throws IOException {
        List<Path> files =
                RunPlots.writeAll(RunPlotsTest.log(), RunPlotsTest.pattern(), dir.resolve("plots"));
        List<String> links = RunReport.links(dir, files);
        assertEquals(
                List.of("plots/loss.png", "plots/budget.png", "plots/rank_pattern.png"), links);
        Path written = report(links).write(dir);
        assertEquals(dir.resolve("report.md"), written);
        assertTrue(Files.readString(written).contains("![budget](plots/budget.png)"));
    }

    @Test
    void aConfigWithBackticksGetsALongerFence() {
        RunReport r =
                new RunReport(
                        "x",
                        "note: ```not a fence```\n",
                        "plan",
                        Map.of(),
                        Map.of(),
                        new RunTimings(1, 1, 1, 1),
                        List.of());
        assertTrue(
                r.toMarkdown().contains("````yaml\nnote: ```not a fence```\n````\n"),
                r.toMarkdown());
        assertTrue(r.toMarkdown().contains("No evaluation ran."));
        assertTrue(r.toMarkdown().contains("No plots."));
    }
}
