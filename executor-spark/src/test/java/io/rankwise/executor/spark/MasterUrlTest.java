package io.rankwise.executor.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What happens to a master URL before Spark sees it. */
class MasterUrlTest {

    @Test
    void localMastersGetTheAttemptCountSparkOtherwiseIgnoresInLocalMode() {
        assertEquals("local[1,4]", MasterUrl.withRetries("local", 4));
        assertEquals("local[2,4]", MasterUrl.withRetries("local[2]", 4));
        assertEquals("local[*,3]", MasterUrl.withRetries("local[*]", 3));
        assertEquals("local[2,7]", MasterUrl.withRetries("local[2,7]", 4), "a given count stays");
        assertEquals("spark://h:7077", MasterUrl.withRetries("spark://h:7077", 4));
        assertEquals("yarn", MasterUrl.withRetries("yarn", 4));
    }

    @Test
    void theFormsSparkAcceptsPassAndOthersAreRefusedNamingTheAcceptedOnes() {
        for (String ok :
                new String[] {
                    "local",
                    "local[4]",
                    "local[*]",
                    "local[2,3]",
                    "local-cluster[2,1,1024]",
                    "spark://a:7077,b:7077",
                    "yarn",
                    "k8s://https://api:6443"
                }) {
            assertDoesNotThrow(() -> MasterUrl.checkForm(ok), ok);
        }
        for (String bad : new String[] {"", "locale", "local[x]", "mesos://m:5050", "http://h"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MasterUrl.checkForm(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("accepted: local, local[N]"), e.getMessage());
        }
        assertTrue(MasterUrl.isLocal("local[2,4]"));
        assertFalse(MasterUrl.isLocal("spark://h:1"));
    }
}
