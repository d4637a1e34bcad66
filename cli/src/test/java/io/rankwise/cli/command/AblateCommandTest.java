package io.rankwise.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rankwise ablate} as a user runs it, shrunk to two tiny cells: one run folder per cell, the
 * table in Markdown and CSV with the which-triplets-survive section, and the comparison plots.
 */
class AblateCommandTest {

    @Test
    void aGridWritesOneRunPerCellTheTableAndThePlots(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = ablate(dir, out, err);
        assertEquals(0, rc, err.toString() + out);
        Path grid = dir.resolve("grid");
        // Without a configured backend the registry's choice is named, in folders and in the table.
        String backend =
                Files.readString(grid.resolve("ablation.csv"))
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow()
                        .split(",")[0];
        assertTrue(List.of("djl", "tensorflow").contains(backend), backend);
        for (String metric : List.of("snr", "variance")) {
            Path cell = grid.resolve("spam-assassin_" + backend + "_ivon+" + metric + "_seed42");
            for (String file :
                    List.of(
                            "config.yaml",
                            "metrics.jsonl",
                            "rank_pattern.json",
                            "report.md",
                            "checkpoint/state.bin",
                            "adapter/adapter_config.json",
                            "adapter/adapter_model.safetensors")) {
                assertTrue(
                        Files.isRegularFile(cell.resolve(file)),
                        cell.resolve(file) + " is written");
            }
        }
        String md = Files.readString(grid.resolve("ablation.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("| " + backend + " | ivon+snr | spam-assassin | 1 |"), md);
        assertTrue(md.contains("| " + backend + " | ivon+variance | spam-assassin | 1 |"), md);
        assertTrue(md.contains("## Which triplets survive: " + backend + ", spam-assassin"), md);
        // The agreement matrix: a configuration keeps the same triplets as itself.
        assertTrue(
                md.lines().anyMatch(l -> l.startsWith("| ivon+snr | ") && l.contains(" 1.00 |")),
                md);
        List<String> csv = Files.readAllLines(grid.resolve("ablation.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(
                csv.get(0)
                        .startsWith("backend,configuration,task,seeds,accuracy_mean,accuracy_std"),
                csv.get(0));
        try (var plots = Files.list(grid.resolve("plots"))) {
            List<Path> pngs = plots.filter(p -> p.toString().endsWith(".png")).toList();
            assertTrue(pngs.size() >= 2, "comparison and seconds-per-step plots: " + pngs);
            for (Path png : pngs) {
                assertTrue(Files.size(png) > 1000, png + " has content");
            }
        }
        assertTrue(out.toString().contains("wrote " + grid), out.toString());
    }

    @Test
    void resumeReadsFinishedCellsAndRunsOnlyTheOthers(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, ablate(dir, out, err), err.toString() + out);
        Path grid = dir.resolve("grid");
        List<String> table = Files.readAllLines(grid.resolve("ablation.csv"));
        List<Path> cells;
        try (var s = Files.list(grid)) {
            cells = s.filter(p -> Files.exists(p.resolve("cell.json"))).sorted().toList();
        }
        assertEquals(2, cells.size(), "a cell.json per finished cell: " + cells);

        // Run again without --resume: refused, nothing touched.
        StringWriter again = new StringWriter();
        StringWriter againErr = new StringWriter();
        assertEquals(2, ablate(dir, again, againErr), againErr.toString());
        assertTrue(
                againErr.toString().contains("the grid folder " + grid + " already holds cell"),
                againErr.toString());

        // As if the grid had stopped during its second cell: that cell's folder holds no
        // cell.json, only what the stopped run logged.
        Path kept = cells.get(0);
        Path stopped = cells.get(1);
        Files.delete(stopped.resolve("cell.json"));
        var keptLog = Files.getLastModifiedTime(kept.resolve("metrics.jsonl"));
        StringWriter resumed = new StringWriter();
        StringWriter resumedErr = new StringWriter();
        assertEquals(
                0, ablate(dir, resumed, resumedErr, "--resume"), resumedErr.toString() + resumed);
        assertTrue(
                resumed.toString()
                        .contains(
                                "--resume: 1 cells finished before and are read from their folders; 1 to run"),
                resumed.toString());
        assertEquals(
                keptLog, Files.getLastModifiedTime(kept.resolve("metrics.jsonl")), "not rerun");
        assertTrue(Files.exists(stopped.resolve("cell.json")));
        List<String> after = Files.readAllLines(grid.resolve("ablation.csv"));
        assertEquals(metricColumns(table), metricColumns(after));
    }

    /**
     * The LoRA pair as README shows it, to add to the pairs of a copy of the embedded
     * default-ablate.yaml (indented as that file's pairs are).
     */
    static final String README_LORA_PAIR =
            """
                - adapter: lora        # plain LoRA at rank adapter.init_r: no allocator, no metric
                  optimizer: adam
                  optimizer_options:
                    lr: 4.0e-3
            """;

    /** The repository root: the first folder above this one with README.md beside a pom.xml. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md beside a pom.xml above " + Path.of(""));
    }

    @Test
    void theReadmesLoraPairIsTheOneTested() throws Exception {
        String readme = Files.readString(repositoryRoot().resolve("README.md"));
        assertTrue(readme.contains(README_LORA_PAIR), "README.md shows\n" + README_LORA_PAIR);
    }

    @Test
    void aGridWithALoraPairRunsItAsItsOwnRow(@TempDir Path dir) throws Exception {
        // What README says to do: a copy of the embedded default with the LoRA pair added; here
        // its pairs cut down to one AdaLoRA pair and the LoRA one, for time.
        String embedded;
        try (var in =
                io.rankwise.cli.config.ConfigLoader.class.getResourceAsStream(
                        io.rankwise.cli.config.ConfigLoader.DEFAULT_ABLATE)) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int pairs = embedded.indexOf("  pairs:\n");
        int seeds = embedded.indexOf("  seeds:", pairs);
        assertTrue(pairs > 0 && seeds > pairs, embedded);
        String withLora =
                embedded.substring(0, pairs)
                        + "  pairs:\n    - ivon+snr\n"
                        + README_LORA_PAIR
                        + embedded.substring(seeds);
        Path file = dir.resolve("lora-ablate.yaml");
        Files.writeString(file, withLora);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = ablateWith(dir, out, err, List.of("--config", file.toString()));
        assertEquals(0, rc, err.toString() + out);
        Path grid = dir.resolve("grid");
        List<String> csv = Files.readAllLines(grid.resolve("ablation.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        String backend = csv.get(1).split(",")[0];
        assertTrue(csv.get(2).startsWith(backend + ",lora-adam,spam-assassin,1,"), csv.get(2));

        Path lora = grid.resolve("spam-assassin_" + backend + "_lora-adam_seed42");
        for (String f :
                List.of(
                        "config.yaml",
                        "metrics.jsonl",
                        "report.md",
                        "cell.json",
                        "checkpoint/state.bin",
                        "adapter/adapter_config.json")) {
            assertTrue(Files.isRegularFile(lora.resolve(f)), lora.resolve(f) + " is written");
        }
        assertTrue(!Files.exists(lora.resolve("rank_pattern.json")), "a LoRA cell has none");
        assertTrue(
                Files.readString(lora.resolve("adapter/adapter_config.json"))
                        .contains("\"peft_type\": \"LORA\""));
        String cellConfig = Files.readString(lora.resolve("config.yaml"));
        assertTrue(cellConfig.matches("(?s).*kind: \"?lora\"?.*"), cellConfig);
        assertTrue(cellConfig.matches("(?s).*lr: 0\\.004.*"), cellConfig);

        String md = Files.readString(grid.resolve("ablation.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("| " + backend + " | lora-adam | spam-assassin | 1 |"), md);
        assertTrue(md.contains("| " + backend + " | ivon+snr | spam-assassin | 1 |"), md);
        assertTrue(md.contains("| lora-adam | n/a | n/a | n/a |"), md);
        assertTrue(
                md.lines()
                        .anyMatch(l -> l.matches("\\| ivon\\+snr \\| \\d+ \\| 1\\.00 \\| n/a \\|")),
                md);
        assertTrue(md.contains("n/a: lora-adam trains plain LoRA at a fixed rank"), md);

        // --resume reads both finished cells back, the LoRA one as LoRA, and writes the same table.
        StringWriter again = new StringWriter();
        StringWriter againErr = new StringWriter();
        assertEquals(
                0,
                ablateWith(dir, again, againErr, List.of("--config", file.toString(), "--resume")),
                againErr.toString() + again);
        assertTrue(
                again.toString().contains("--resume: 2 cells finished before"), again.toString());
        assertEquals(md, Files.readString(grid.resolve("ablation.md"), StandardCharsets.UTF_8));
    }

    @Test
    void aMasterWithoutAClusterExecutorIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, ablate(dir, out, err, "--master", "local[2]"), out.toString());
        assertTrue(
                err.toString()
                        .contains(
                                "--master local[2]: the executor in-process has no master; add --executor spark"),
                err.toString());
        assertTrue(!Files.exists(dir.resolve("grid")), "nothing written");
    }

    /**
     * A backend name no plugin has: refused in one line (exit 2) before any cell is planned, so no
     * cell is named after it and no folder is made.
     */
    @Test
    void anUnknownBackendIsRefusedBeforeACellIsNamedAfterIt(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, ablate(dir, out, err, "--backends", "nosuch"), err.toString() + out);
        assertEquals(
                "rankwise: ablation.backends: backend 'nosuch' is not available; available:",
                err.toString()
                        .lines()
                        .filter(l -> l.startsWith("rankwise:"))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll(" available: .*", " available:"),
                err.toString());
        assertEquals(1, err.toString().lines().filter(l -> l.startsWith("rankwise:")).count());
        assertTrue(!out.toString().contains("nosuch"), "no cell is named after it: " + out);
        assertTrue(!Files.exists(dir.resolve("grid")), "nothing written");
    }

    /**
     * A backend that is there but whose engine does not start (its natives fail to load): the grid
     * stops in one line (exit 1) before any cell, also the cells of a backend that starts.
     */
    @Test
    void aBackendThatFailsToStartStopsTheGridBeforeAnyCell(@TempDir Path dir) throws Exception {
        Path jar = StartFailingBackend.pluginJar(dir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc =
                ablate(
                        dir,
                        out,
                        err,
                        "--plugins",
                        jar.toString(),
                        "--backends",
                        "djl," + StartFailingBackend.NAME);
        assertEquals(1, rc, err.toString() + out);
        List<String> failures =
                err.toString().lines().filter(l -> l.startsWith("rankwise:")).toList();
        assertEquals(
                List.of(
                        "rankwise: ablation.backends: the backend 'broken' failed to start: no"
                                + " broken_jni in java.library.path; no cell was run"),
                failures,
                err.toString());
        assertTrue(!out.toString().contains("ablation of"), "no grid was planned: " + out);
        assertTrue(!Files.exists(dir.resolve("grid")), "nothing written");
    }

    /** The table's columns up to (without) the machine's measurements: s/step, peak memory. */
    private static List<String> metricColumns(List<String> csv) {
        int keep = List.of(csv.get(0).split(",", -1)).indexOf("seconds_per_step_mean");
        return csv.stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, keep)))
                .toList();
    }

    /** The two-cell grid of these tests into {@code dir/grid}. */
    private static int ablate(Path dir, StringWriter out, StringWriter err, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(extra));
        args.addAll(List.of("--set", "ablation.pairs=ivon+snr,ivon+variance"));
        return ablateWith(dir, out, err, args);
    }

    /** The tiny grid settings into {@code dir/grid}, with {@code extra} arguments. */
    private static int ablateWith(
            Path dir, StringWriter out, StringWriter err, List<String> extra) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "ablate",
                                "--set",
                                "run.output_dir=" + dir,
                                "--set",
                                "run.name=grid",
                                "--set",
                                "ablation.seeds=1",
                                "--set",
                                "task.max_train=64",
                                "--set",
                                "task.max_eval=16",
                                "--set",
                                "training.epochs=1",
                                "--set",
                                "training.batch_size=8",
                                "--set",
                                "model.max_length=24",
                                "--set",
                                "adapter.target_modules=query,value",
                                "--set",
                                "adapter.init_r=3",
                                "--set",
                                "allocator.options.target_r=2",
                                "--set",
                                "allocator.options.tinit=2",
                                "--set",
                                "allocator.options.tfinal=2",
                                "--set",
                                "allocator.options.delta_t=2"));
        args.addAll(extra);
        return cl.execute(args.toArray(String[]::new));
    }
}
