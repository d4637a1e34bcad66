package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How seed tensors select PyTorch's streams. PyTorch's CPU generator reads only the low 32 bits of
 * a seed, so the guarantee that matters, distinct streams for the steps of one run, has to live in
 * those bits.
 */
class SeededRandomTest {
    private final DjlBackend backend = Fixture.backend();

    @Test
    void theStepsOfOneRunGetDistinctGeneratorSeeds() {
        // 2·10⁵ steps: a 32-bit hash of (seed, step) would repeat a seed among them with
        // probability 1 − exp(−T²/2³³) ≈ 99%.
        for (long runSeed : new long[] {0, 42, -1}) {
            Set<Integer> seen = new HashSet<>();
            for (long step = 1; step <= 200_000; step++) {
                int low = (int) SeededRandom.mix(new long[] {runSeed, step});
                assertTrue(
                        seen.add(low),
                        "seed " + runSeed + ": step " + step + " reuses an earlier step's stream");
            }
        }
    }

    @Test
    void bothSeedValuesAndTheHighHalfOfTheSecondChangeTheDraws() {
        try (CompiledFunction draw =
                backend.compile(
                        (ops, in) ->
                                List.of(
                                        ops.randomNormal(
                                                Shape.of(64), DType.FLOAT32, in.get(0), 0, 1)))) {
            double[] base = drawWith(draw, 7, 1);
            assertArrayEquals(base, drawWith(draw, 7, 1), "the same seed, the same draws");
            for (long[] other : new long[][] {{8, 1}, {7, 2}, {7, 1 + (1L << 32)}}) {
                assertFalse(
                        Arrays.equals(base, drawWith(draw, other[0], other[1])),
                        "seed " + Arrays.toString(other) + " repeats the draws of [7, 1]");
            }
        }
    }

    /** The premise of the first test: seeds equal in their low 32 bits draw the same numbers. */
    @Test
    void pyTorchsCpuGeneratorReadsOnlyTheLow32BitsOfASeed() {
        JniUtils.setSeed(12_345L);
        float[] first = draw4();
        JniUtils.setSeed(12_345L + (1L << 32));
        assertArrayEquals(first, draw4());
    }

    private float[] draw4() {
        try (NDArray a =
                backend.manager()
                        .randomNormal(
                                0f, 1f, new ai.djl.ndarray.types.Shape(4), DataType.FLOAT32)) {
            return a.toFloatArray();
        }
    }

    private double[] drawWith(CompiledFunction f, long a, long b) {
        try (Tensor seed = backend.tensor(new long[] {a, b}, Shape.of(2), DType.INT64)) {
            List<Tensor> out = f.call(seed);
            double[] v = out.get(0).toDoubles();
            out.forEach(Tensor::close);
            return v;
        }
    }
}
