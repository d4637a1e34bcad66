package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomTest {
    private final DjlBackend backend = Fixture.backend();
    private final CompiledFunction draw =
            backend.compile(
                    (ops, in) ->
                            List.of(
                                    ops.randomNormal(
                                            Shape.of(4000), DType.FLOAT64, in.get(0), 2.0, 0.5),
                                    ops.randomUniform(
                                            Shape.of(4000), DType.FLOAT32, in.get(0), -1.0, 3.0)));

    private List<Tensor> drawWith(long a, long b) {
        try (Tensor seed = backend.tensor(new long[] {a, b}, Shape.of(2), DType.INT64)) {
            return draw.call(seed);
        }
    }

    @Test
    void drawsAreAPureFunctionOfBothSeedValues() {
        List<Tensor> first = drawWith(7, 1);
        List<Tensor> again = drawWith(7, 1);
        List<Tensor> otherStream = drawWith(7, 2);
        assertArrayEquals(first.get(0).toDoubles(), again.get(0).toDoubles());
        assertArrayEquals(first.get(1).toDoubles(), again.get(1).toDoubles());
        assertFalse(Arrays.equals(first.get(0).toDoubles(), otherStream.get(0).toDoubles()));

        double[] n = first.get(0).toDoubles();
        double mean = Arrays.stream(n).average().orElseThrow();
        double var = Arrays.stream(n).map(v -> (v - mean) * (v - mean)).sum() / n.length;
        assertEquals(2.0, mean, 0.05);
        assertEquals(0.25, var, 0.03);
        double[] u = first.get(1).toDoubles();
        assertTrue(Arrays.stream(u).allMatch(v -> v >= -1 && v < 3));
        assertEquals(1.0, Arrays.stream(u).average().orElseThrow(), 0.1);
        for (List<Tensor> l : List.of(first, again, otherStream)) {
            l.forEach(Tensor::close);
        }
    }
}
