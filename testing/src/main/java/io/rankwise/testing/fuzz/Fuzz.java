package io.rankwise.testing.fuzz;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The property every reader's fuzz test checks: an input either loads, or is refused with the
 * format's own exception; never an {@link OutOfMemoryError}, {@link NegativeArraySizeException},
 * {@link IndexOutOfBoundsException} or any other exception, never a hang, and never more memory
 * than a bound given by the test (the bytes the reader allocates while it runs, measured on the
 * thread that runs it).
 *
 * <p>Each case runs on a worker thread with a time limit; a case that does not answer in time fails
 * the property, and the next one gets a fresh worker.
 */
public final class Fuzz {
    /**
     * The seed of every fuzz property, so that CI runs the same cases each time. Run other seeds
     * locally by changing it, or by removing {@code seed} from a property.
     */
    public static final String SEED = "1313";

    /** The time one case may take: far above what a valid small input needs. */
    public static final long TIMEOUT_MS = 10_000;

    /** What became of an input. */
    public enum Outcome {
        LOADED,
        REFUSED
    }

    private static ExecutorService worker = newWorker();

    private Fuzz() {}

    /**
     * Runs {@code load} and checks the property.
     *
     * @param input a description of the input, for the failure message
     * @param load reads the input
     * @param refusal whether an exception is the format's own refusal (e.g. an IOException whose
     *     message names the file)
     * @param maxAllocatedBytes the most heap the reader may allocate for this input
     * @throws AssertionError if the property does not hold
     */
    public static synchronized Outcome loadsOrRefuses(
            String input, Callable<?> load, Predicate<Throwable> refusal, long maxAllocatedBytes) {
        Future<Object[]> result =
                worker.submit(
                        () -> {
                            long before = allocatedBytes();
                            Throwable thrown = null;
                            try {
                                load.call();
                            } catch (Throwable t) {
                                thrown = t;
                            }
                            return new Object[] {thrown, allocatedBytes() - before};
                        });
        Object[] r;
        try {
            r = result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError(input + ": no answer within " + TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(input + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(input + ": " + e.getCause(), e.getCause());
        }
        Throwable thrown = (Throwable) r[0];
        long allocated = (Long) r[1];
        if (thrown != null && !(thrown instanceof Exception && refusal.test(thrown))) {
            throw new AssertionError(
                    input + ": neither loaded nor refused with the format's exception: " + thrown,
                    thrown);
        }
        if (allocated > maxAllocatedBytes) {
            throw new AssertionError(
                    input
                            + ": allocated "
                            + allocated
                            + " bytes, more than the "
                            + maxAllocatedBytes
                            + " allowed"
                            + (thrown == null ? "" : " before refusing it with " + thrown));
        }
        return thrown == null ? Outcome.LOADED : Outcome.REFUSED;
    }

    /** Whether {@code t} is an exception of {@code type} whose message contains {@code text}. */
    public static Predicate<Throwable> messageNames(Class<? extends Throwable> type, String text) {
        return t -> type.isInstance(t) && t.getMessage() != null && t.getMessage().contains(text);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(
                r -> {
                    Thread t = new Thread(r, "fuzz-case");
                    t.setDaemon(true);
                    return t;
                });
    }
}
