package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 4 of the issue: a master that cannot be reached, or a URL that is not one, fails fast with a
 * message that names the URL and what was tried, and leaves no grid folder behind.
 */
class BadMasterTest {

    /** Spark's own client would try for a minute (3 registrations of 20 s); this is "seconds". */
    private static final Duration FAST = Duration.ofSeconds(20);

    @Test
    void anUnreachableStandaloneMasterFailsWithinSecondsNamingTheUrlAndTheAddressTried(
            @TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String url = "spark://127.0.0.1:" + port;
        long start = System.nanoTime();
        GridRuns.Outcome o = GridRuns.ablate(dir, "grid", "--executor", "spark", "--master", url);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(1, o.exitCode(), o.both());
        assertTrue(
                o.err()
                        .contains(
                                "rankwise: cannot reach the Spark master "
                                        + url
                                        + ": tried 127.0.0.1:"
                                        + port
                                        + " ("),
                o.err());
        assertTrue(o.err().contains("Connect"), "says what the address answered: " + o.err());
        assertEquals(1, o.err().lines().count(), "one line, no stack trace: " + o.err());
        assertTrue(took.compareTo(FAST) < 0, "took " + took);
        assertFalse(Files.exists(o.grid()), "nothing written");
    }

    @Test
    void anUnknownHostFailsNamingIt(@TempDir Path dir) {
        String url = "spark://no-such-host.invalid:7077";
        GridRuns.Outcome o = GridRuns.ablate(dir, "grid", "--executor", "spark", "--master", url);
        assertEquals(1, o.exitCode(), o.both());
        assertTrue(o.err().contains("cannot reach the Spark master " + url), o.err());
        assertTrue(o.err().contains("no-such-host.invalid:7077"), o.err());
        assertFalse(Files.exists(o.grid()), "nothing written");
    }

    @Test
    void aUrlThatIsNotAMasterIsRefusedAsBadInputListingTheAcceptedForms(@TempDir Path dir) {
        for (String url : new String[] {"nonsense://x", "spark://hostwithoutport"}) {
            GridRuns.Outcome o =
                    GridRuns.ablate(dir, "grid", "--executor", "spark", "--master", url);
            assertEquals(2, o.exitCode(), url + ": " + o.both());
            assertTrue(o.err().contains("spark master '" + url + "'"), o.err());
            assertTrue(o.err().contains("accepted: local, local[N]"), o.err());
            assertFalse(Files.exists(o.grid()), "nothing written");
        }
    }
}
