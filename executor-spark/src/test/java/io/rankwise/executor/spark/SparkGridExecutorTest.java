package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.grid.CellDone;
import io.rankwise.api.grid.CellWork;
import io.rankwise.api.grid.GridException;
import io.rankwise.api.grid.GridListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The executor on an embedded Spark with cells that need no model: results in the cells' order,
 * each reported once as it finishes; a failed attempt retried; a cell that fails every attempt
 * stops the grid naming it.
 */
class SparkGridExecutorTest {

    /** What a cell saw of its grant: cores, attempt, device. */
    private static final CellWork<Integer, String> GRANT =
            (cell, context) ->
                    cell
                            + ":cpus="
                            + context.cpus()
                            + ",attempt="
                            + context.attempt()
                            + ",device="
                            + context.device().orElse("none");

    @Test
    void resultsComeInTheCellsOrderEachReportedOnceWithTheGrant() {
        List<CellDone<String>> reported = Collections.synchronizedList(new ArrayList<>());
        try (SparkGridExecutor grid =
                SparkGridExecutor.start(new SparkGridExecutor.Settings("local[2]", 4, 5))) {
            assertTrue(grid.describe().startsWith("spark local[2] (application "), grid.describe());
            List<String> results = grid.run(List.of(1, 2, 3, 4, 5), GRANT, reported::add);
            assertEquals(
                    List.of(
                            "1:cpus=1,attempt=0,device=none",
                            "2:cpus=1,attempt=0,device=none",
                            "3:cpus=1,attempt=0,device=none",
                            "4:cpus=1,attempt=0,device=none",
                            "5:cpus=1,attempt=0,device=none"),
                    results);
        }
        assertEquals(5, reported.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(k + 1, reported.get(k).done(), "counted as they finish");
            assertEquals(5, reported.get(k).total());
            assertEquals(results(reported.get(k)), reported.get(k).result());
        }
    }

    private static String results(CellDone<String> done) {
        return (done.index() + 1) + ":cpus=1,attempt=0,device=none";
    }

    @Test
    void aFailedAttemptIsRetriedBySpark() {
        CellWork<Integer, String> flaky =
                (cell, context) -> {
                    if (cell == 2 && context.attempt() == 0) {
                        throw new IllegalStateException("the first attempt at cell 2 fails");
                    }
                    return cell + "@" + context.attempt();
                };
        try (SparkGridExecutor grid =
                SparkGridExecutor.start(new SparkGridExecutor.Settings("local[2]", 4, 5))) {
            assertEquals(List.of("1@0", "2@1", "3@0"), grid.run(List.of(1, 2, 3), flaky, d -> {}));
        }
    }

    @Test
    void aCellThatFailsEveryAttemptStopsTheGridNamingItAndTheCause() {
        CellWork<Integer, String> broken =
                (cell, context) -> {
                    if (cell == 3) {
                        throw new IllegalStateException("cell three is broken");
                    }
                    return "ok";
                };
        try (SparkGridExecutor grid =
                SparkGridExecutor.start(new SparkGridExecutor.Settings("local[2]", 2, 5))) {
            GridListener<String> none = d -> {};
            GridException e =
                    assertThrows(
                            GridException.class, () -> grid.run(List.of(1, 2, 3), broken, none));
            assertTrue(e.getMessage().startsWith("cell 3 of 3 failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
            assertTrue(e.getMessage().contains("cell three is broken"), e.getMessage());
        }
    }
}
