package io.rankwise.api;

import java.util.SplittableRandom;

/**
 * A seeded random source on the host whose draws are the same on every backend and platform: for
 * replays, cross-backend parity and seeded initialisation. Normals use the Box–Muller transform on
 * {@link SplittableRandom} uniforms, so they do not depend on JDK-internal caching.
 */
public final class HostRandom {
    private final SplittableRandom random;

    /** A source with the given seed. */
    public HostRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** An independent source derived from this one and {@code stream} (same result every time). */
    public static HostRandom forStream(long seed, long stream) {
        return new HostRandom(
                new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1))).nextLong());
    }

    /** {@code n} draws from N(mean, std²). */
    public double[] normal(int n, double mean, double std) {
        double[] out = new double[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) {
                out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
            }
        }
        return out;
    }

    /** {@code n} draws from U[low, high). */
    public double[] uniform(int n, double low, double high) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = low + (high - low) * random.nextDouble();
        }
        return out;
    }

    /** {@code n} integers uniform in [0, bound). */
    public long[] integers(int n, long bound) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextLong(bound);
        }
        return out;
    }
}
