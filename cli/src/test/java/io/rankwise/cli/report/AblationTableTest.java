package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation table's exact text for a small grid whose numbers are worked out by hand. */
class AblationTableTest {

    static Map<String, Double> values(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    /** Three seeds of ivon+snr, one of adam+sensitivity on djl, one on the default backend. */
    static List<AblationCellResult> smallGrid() {
        return List.of(
                new AblationCellResult(
                        "djl",
                        "ivon",
                        "snr",
                        "spam",
                        1,
                        values("accuracy", 0.80, "nll", 0.50),
                        0.10,
                        500),
                new AblationCellResult(
                        "djl",
                        "adam",
                        "sensitivity",
                        "spam",
                        1,
                        values("accuracy", 0.90, "nll", 0.30),
                        0.05,
                        400),
                new AblationCellResult(
                        "djl",
                        "ivon",
                        "snr",
                        "spam",
                        2,
                        values("accuracy", 0.84, "nll", 0.40),
                        0.12,
                        520),
                new AblationCellResult(
                        "djl",
                        "ivon",
                        "snr",
                        "spam",
                        3,
                        values("accuracy", 0.88, "nll", 0.45),
                        0.14,
                        540),
                new AblationCellResult(
                        "", "adam", "sensitivity", "spam", 1, values("accuracy", 0.70), 0.20, 300));
    }

    @Test
    void markdownShowsMeanPlusMinusSampleStdAndADashForOneSeed() {
        // ivon+snr: accuracy mean 0.84, std sqrt((.0016+0+.0016)/2) = 0.04; nll mean 0.45, std
        // 0.05;
        // s/step mean 0.12, std 0.02; memory mean 520, std 20.
        String expected =
                """
                | backend | configuration | task | seeds | accuracy | nll | s/step | peak MiB |
                | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |
                | djl | ivon+snr | spam | 3 | 0.8400 ± 0.0400 | 0.4500 ± 0.0500 | 0.120 ± 0.020 | 520 ± 20 |
                | djl | adam+sensitivity | spam | 1 | 0.9000 ± — | 0.3000 ± — | 0.050 ± — | 400 ± — |
                | default | adam+sensitivity | spam | 1 | 0.7000 ± — | n/a | 0.200 ± — | 300 ± — |
                """;
        assertEquals(expected, AblationTable.of(smallGrid()).toMarkdown());
    }

    @Test
    void csvHasSeparateMeanAndStdColumnsAndEmptyStdForOneSeed() {
        String expected =
                """
                backend,configuration,task,seeds,accuracy_mean,accuracy_std,nll_mean,nll_std,\
                seconds_per_step_mean,seconds_per_step_std,peak_memory_mib_mean,peak_memory_mib_std
                djl,ivon+snr,spam,3,0.840000,0.040000,0.450000,0.050000,0.120000,0.020000,520.0,20.0
                djl,adam+sensitivity,spam,1,0.900000,,0.300000,,0.050000,,400.0,
                default,adam+sensitivity,spam,1,0.700000,,,,0.200000,,300.0,
                """;
        assertEquals(expected, AblationTable.of(smallGrid()).toCsv());
    }

    @Test
    void quotesCsvFieldsAndEscapesMarkdownPipes() {
        AblationTable t =
                AblationTable.of(
                        List.of(
                                new AblationCellResult(
                                        "djl",
                                        "ivon",
                                        "snr",
                                        "a,b|c",
                                        1,
                                        values("accuracy", 0.5),
                                        1.0,
                                        1)));
        assertEquals("djl,ivon+snr,\"a,b|c\",1,0.500000,,1.000000,,1.0,", t.toCsv().split("\n")[1]);
        assertEquals(
                "| djl | ivon+snr | a,b\\|c | 1 | 0.5000 ± — | 1.000 ± — | 1 ± — |",
                t.toMarkdown().split("\n")[2]);
    }

    @Test
    void theMainMetricIsTheFirstOneATaskReported() {
        AblationTable t = AblationTable.of(smallGrid());
        assertEquals(Optional.of("accuracy"), t.mainMetric("spam"));
        assertEquals(List.of("spam"), t.tasks());
        assertEquals(List.of("accuracy", "nll"), t.metrics());
    }

    @Test
    void writesBothFiles(@TempDir Path dir) throws IOException {
        AblationTable t = AblationTable.of(smallGrid());
        List<Path> files = t.write(dir);
        assertEquals(List.of(dir.resolve("ablation.md"), dir.resolve("ablation.csv")), files);
        assertEquals(t.toMarkdown(), Files.readString(files.get(0)));
        assertEquals(t.toCsv(), Files.readString(files.get(1)));
    }
}
