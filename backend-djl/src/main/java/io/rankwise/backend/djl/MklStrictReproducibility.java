package io.rankwise.backend.djl;

import com.sun.jna.Function;
import io.rankwise.api.spi.Option;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes libtorch's matrix products give the same bits whatever the number of intra-op threads, by
 * switching Intel MKL to its strict conditional numerical reproducibility mode ({@code
 * MKL_CBWR_AUTO | MKL_CBWR_STRICT}: the best code path for the CPU, and for {@code ?gemm} results
 * that do not depend on how many threads split the work).
 *
 * <p>Why: a grid cell on Spark runs with the cores its task was granted, one in {@code local[2]},
 * while the same cell in-process uses all of them; Rankwise promises the same numbers either way.
 * MKL's AVX-512 sgemm splits the inner dimension across threads for some shapes and then sums the
 * partial products in another order: measured here, 21,956 of the 73,728 entries of a [192, 1536] ×
 * [1536, 384] product differed in their last bits between 1 and 2 threads, and the tiny grid's
 * numbers differed between Spark and in-process in the sixth decimal. In strict mode none differ,
 * and the matmul rate of the MiniLM step's largest shape stayed the same (340–450 GFLOP/s either
 * way on this noisy 2-core machine).
 *
 * <p>MKL takes the mode only before its first computation, so this runs right after libtorch loads
 * and before any op. It is skipped when the environment sets {@code MKL_CBWR} (MKL then read the
 * user's choice itself) and with {@code -Drankwise.djl.mkl_strict_reproducibility=false}.
 */
final class MklStrictReproducibility {
    /** The JVM system property that turns this off. */
    static final Option<Boolean> STRICT =
            Option.bool(
                    "rankwise.djl.mkl_strict_reproducibility",
                    true,
                    "make libtorch's MKL matrix products bitwise independent of the thread count"
                            + " (MKL_CBWR=AUTO,STRICT), so that a cell gives the same numbers on"
                            + " Spark and in-process; a JVM system property (-D), read when the"
                            + " engine loads; skipped when the environment sets MKL_CBWR");

    /** MKL_CBWR_AUTO: the code path MKL would choose anyway. */
    private static final int AUTO = 2;

    /** MKL_CBWR_STRICT: results independent of the number of threads. */
    private static final int STRICT_FLAG = 0x10000;

    private static final Logger LOG = LoggerFactory.getLogger(MklStrictReproducibility.class);

    private static boolean attempted;
    private static boolean enabled;

    private MklStrictReproducibility() {}

    /**
     * Sets the mode once per process, if libtorch has MKL and neither {@code MKL_CBWR} nor the
     * property says otherwise; a refusal by MKL (it already computed) is logged, not thrown.
     *
     * @throws IllegalArgumentException when the property is not a boolean
     */
    static synchronized void afterEngineLoads() {
        boolean wanted =
                STRICT.parse(DjlBackendProvider.NAME, System.getProperty(STRICT.name(), "true"));
        if (attempted || !wanted || System.getenv("MKL_CBWR") != null) {
            return;
        }
        attempted = true;
        Optional<Function> set = LoadedLibtorch.function("mkl_serv_cbwr_set");
        if (set.isEmpty()) {
            return; // no MKL in this libtorch (not x86-64), nothing to make reproducible
        }
        int status = set.get().invokeInt(new Object[] {AUTO | STRICT_FLAG});
        enabled = status == 0;
        if (!enabled) {
            LOG.warn(
                    "djl: MKL refused its strict reproducible mode (status {}; it must be set before"
                            + " MKL's first computation in this process), so matrix products may"
                            + " differ in their last bits between thread counts; set"
                            + " MKL_CBWR=AUTO,STRICT in the environment instead",
                    status);
        }
    }

    /** Whether this process runs MKL in strict reproducible mode because of this class. */
    static synchronized boolean enabled() {
        return enabled;
    }
}
