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
                                "ablation.pairs=ivon+snr,ivon+variance",
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
        args.addAll(List.of(extra));
        return cl.execute(args.toArray(String[]::new));
    }
}
