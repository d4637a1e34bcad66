package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 1 of the issue: the tiny grid on an embedded Spark ({@code local[2]}, two cells at a time,
 * one core each) gives the numbers of the in-process executor, cell for cell. Its cells run on both
 * engines, so it also shows that djl and TensorFlow load and train with Spark and its dependencies
 * on the class path.
 */
class LocalSparkGridTest {

    @Test
    void localTwoGivesExactlyTheNumbersOfTheInProcessExecutor(@TempDir Path dir) throws Exception {
        Path reference = GridRuns.reference();
        GridRuns.Outcome spark =
                GridRuns.ablate(dir, "local2", "--executor", "spark", "--master", "local[2]");
        assertEquals(0, spark.exitCode(), spark.both());

        assertEquals(GridRuns.metricColumns(reference), GridRuns.metricColumns(spark.grid()));
        assertEquals(GridRuns.rankPatterns(reference), GridRuns.rankPatterns(spark.grid()));

        Set<String> backends = new TreeSet<>();
        for (Path cell : GridRuns.cells(spark.grid())) {
            JsonNode record = GridRuns.cellRecord(cell);
            backends.add(record.get("backend").asText());
            assertEquals(1, record.get("threads").asInt(), cell + ": spark.task.cpus is 1");
        }
        assertEquals(Set.of("djl", "tensorflow"), backends);
        for (Path cell : GridRuns.cells(reference)) {
            assertEquals(
                    0,
                    GridRuns.cellRecord(cell).get("threads").asInt(),
                    cell + ": in-process keeps the engine's threads");
        }

        assertTrue(spark.out().contains("executor spark local[2]"), spark.out());
        List<String> done = spark.out().lines().filter(l -> l.startsWith("cell ")).toList();
        assertEquals(4, done.size(), spark.out());
        for (int k = 1; k <= 4; k++) {
            int n = k;
            assertTrue(
                    done.stream().anyMatch(l -> l.startsWith("cell " + n + "/4 done: ")),
                    "progress counts cell " + n + ": " + done);
        }
        assertTrue(done.stream().allMatch(l -> l.contains(" on ")), "names the host: " + done);
    }
}
