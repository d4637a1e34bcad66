package io.rankwise.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;

/**
 * Random draws that are a pure function of a seed tensor.
 *
 * <p>PyTorch's generator is process-wide state, so each draw reads the two seed values to the host
 * (16 bytes), mixes them into one 64-bit seed (SplitMix64 finalizers), reseeds the generator with
 * {@code torch.manual_seed} and draws, all under one lock so that no other draw in this JVM lands
 * in between. The same seed values and shape therefore give the same numbers on a given device and
 * libtorch build. Draws are standard (N(0, 1) or U[0, 1)) in the target dtype and then scaled, so
 * that mean, std and bounds keep full float64 precision. Reseeding also changes what other PyTorch
 * users in the process (DJL's dropout, say) draw next.
 */
final class SeededRandom {
    private static final Object GENERATOR_LOCK = new Object();

    private SeededRandom() {}

    /** Standard normal draws. */
    static NDArray standardNormal(PtNDManager manager, Shape shape, DType dtype, long[] seed) {
        synchronized (GENERATOR_LOCK) {
            JniUtils.setSeed(mix(seed));
            return manager.randomNormal(0f, 1f, DTypes.toDjl(shape), DTypes.toDjl(dtype));
        }
    }

    /** Standard uniform draws in [0, 1). */
    static NDArray standardUniform(PtNDManager manager, Shape shape, DType dtype, long[] seed) {
        synchronized (GENERATOR_LOCK) {
            JniUtils.setSeed(mix(seed));
            return manager.randomUniform(0f, 1f, DTypes.toDjl(shape), DTypes.toDjl(dtype));
        }
    }

    /**
     * One 64-bit seed from the seed tensor's two values [a, b], sensitive to both. PyTorch's CPU
     * generator (mt19937) keeps only the low 32 bits of a seed, so those select the stream, and
     * they are hash(a) + b (mod 2³²): for one a, the streams of b and b' differ whenever b ≢ b'
     * (mod 2³²). Callers put the step in b ([seed, step]), so no two steps of a run share their
     * draws; a 64-bit hash of both values, truncated to 32 bits, would give two of T steps the same
     * draws with probability about T²/2³³ (1% for 10⁴ steps, most runs of 10⁵). Values of b above
     * 2³² shift the stream by a hash of their high half. The high 32 bits (which CUDA's Philox
     * generator reads too) hash both values.
     */
    static long mix(long[] seed) {
        long a = finalizer(seed[0] ^ 0x9E3779B97F4A7C15L);
        int low = (int) a + (int) seed[1] + (int) finalizer(seed[1] >>> 32);
        long high = finalizer(a + finalizer(seed[1])) >>> 32;
        return (high << 32) | (low & 0xFFFFFFFFL);
    }

    private static long finalizer(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
