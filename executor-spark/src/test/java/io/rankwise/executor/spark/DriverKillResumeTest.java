package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3 of the issue: a grid whose driver is killed (SIGKILL) in the middle is continued with
 * {@code --resume}: the cells that had finished are not run again, and the final table equals an
 * uninterrupted run's.
 */
class DriverKillResumeTest {
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(5);

    @Test
    void resumeAfterTheDriverWasKilledSkipsFinishedCellsAndGivesTheUninterruptedTable(
            @TempDir Path dir) throws Exception {
        Path reference = GridRuns.reference();
        Path grid = dir.resolve("grid");
        Path childLog = dir.resolve("driver.log");
        // One cell at a time, so that the kill falls between finished and unfinished cells.
        List<String> command =
                GridRuns.javaCommand(
                        Main.class.getName(),
                        GridRuns.arguments(
                                dir, "grid", "--executor", "spark", "--master", "local[1]"));
        Process driver =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(childLog.toFile())
                        .start();
        long deadline = System.nanoTime() + CHILD_DEADLINE.toNanos();
        try {
            while (GridRuns.finishedCells(grid) < 2) {
                if (!driver.isAlive()) {
                    fail(
                            "the driver exited ("
                                    + driver.exitValue()
                                    + ") before two cells finished:\n"
                                    + Files.readString(childLog));
                }
                if (System.nanoTime() > deadline) {
                    fail(
                            "two cells did not finish in "
                                    + CHILD_DEADLINE
                                    + ":\n"
                                    + Files.readString(childLog));
                }
                Thread.sleep(50);
            }
        } finally {
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, as when a driver machine dies
            driver.waitFor(1, TimeUnit.MINUTES);
        }
        long finishedAtKill = GridRuns.finishedCells(grid);
        assertTrue(finishedAtKill < 4, "the kill came before the grid's end: " + finishedAtKill);
        assertTrue(!Files.exists(grid.resolve("ablation.csv")), "no table from the killed driver");
        Map<Path, FileTime> finished = new TreeMap<>();
        for (Path cell : GridRuns.cells(grid)) {
            if (Files.exists(cell.resolve("cell.json"))) {
                finished.put(cell, Files.getLastModifiedTime(cell.resolve("metrics.jsonl")));
            }
        }

        GridRuns.Outcome resumed =
                GridRuns.ablate(
                        dir, "grid", "--executor", "spark", "--master", "local[2]", "--resume");
        assertEquals(0, resumed.exitCode(), resumed.both());
        assertTrue(
                resumed.out()
                        .contains(
                                "--resume: "
                                        + finished.size()
                                        + " cells finished before and are read from their folders; "
                                        + (4 - finished.size())
                                        + " to run"),
                resumed.out());
        for (var e : finished.entrySet()) {
            assertEquals(
                    e.getValue(),
                    Files.getLastModifiedTime(e.getKey().resolve("metrics.jsonl")),
                    e.getKey() + " was not run again");
        }
        assertEquals(
                4 - finished.size(),
                resumed.out().lines().filter(l -> l.startsWith("cell ")).count(),
                resumed.out());
        assertEquals(GridRuns.metricColumns(reference), GridRuns.metricColumns(grid));
        assertEquals(GridRuns.rankPatterns(reference), GridRuns.rankPatterns(grid));
    }
}
