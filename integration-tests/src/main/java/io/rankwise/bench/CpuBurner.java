package io.rankwise.bench;

import java.io.IOException;

/**
 * A CPU-bound competitor for {@code ModelBenchmark competitor=N}: one thread that does integer
 * arithmetic without pause, as a single-threaded job beside a training run would. It prints {@value
 * #READY} once its thread runs, and exits when its standard input ends, which happens when the
 * process that started it closes the pipe or dies, so that no burner outlives its benchmark.
 *
 * <p>Arguments: {@code threads=N} (default 1).
 */
public final class CpuBurner {
    /** The line printed once the spinning threads run. */
    static final String READY = "burning";

    /** Written now and then so that the loop's work is observable and not optimised away. */
    @SuppressWarnings("unused")
    private static volatile long sink;

    private CpuBurner() {}

    /** Spins until standard input ends. */
    public static void main(String[] args) throws IOException {
        int threads = Contention.positive(Contention.arguments(args), "threads", 1);
        for (int i = 0; i < threads; i++) {
            long seed = i + 1;
            Thread t = new Thread(() -> spin(seed), "burner-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println(READY + " " + threads);
        System.out.flush();
        while (System.in.read() != -1) {
            // Only the end of the input matters.
        }
    }

    private static void spin(long seed) {
        long x = seed;
        while (true) {
            // A linear congruential step: dependent integer work that no compiler can skip.
            x = x * 6364136223846793005L + 1442695040888963407L;
            if ((x & 0xFFFFF) == 0) {
                sink = x;
            }
        }
    }
}
