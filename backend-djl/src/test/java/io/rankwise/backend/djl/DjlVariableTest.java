package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import org.junit.jupiter.api.Test;

class DjlVariableTest {
    private final DjlBackend backend = Fixture.backend();

    @Test
    void aDuplicateNameIsRefused() {
        String name = Fixture.unique("dup");
        backend.variable(name, new double[] {1}, Shape.of(1), DType.FLOAT32, true);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                backend.variable(
                                        name, new double[] {2}, Shape.of(1), DType.FLOAT32, true));
        assertTrue(
                e.getMessage().contains(name) && e.getMessage().contains("unique"), e.getMessage());
    }

    @Test
    void hostValuesGoInAndOutInEveryDtype() {
        for (DType t : DType.values()) {
            Variable v =
                    backend.variable(
                            Fixture.unique("host" + t),
                            new double[] {0, 1, 2, 3},
                            Shape.of(2, 2),
                            t,
                            false);
            double[] expected =
                    t == DType.BOOL ? new double[] {0, 1, 1, 1} : new double[] {0, 1, 2, 3};
            assertArrayEquals(expected, v.toDoubles(), t.toString());
            v.assign(new double[] {3, 0, 1, 0});
            assertArrayEquals(
                    t == DType.BOOL ? new double[] {1, 0, 1, 0} : new double[] {3, 0, 1, 0},
                    v.toDoubles());
        }
        Variable v =
                backend.variable(
                        Fixture.unique("len"), new double[2], Shape.of(2), DType.FLOAT64, true);
        assertThrows(IllegalArgumentException.class, () -> v.assign(new double[3]));
    }

    /**
     * Float32 values go in exactly, in a float32 and a float64 variable alike. Reference values are
     * the exact binary values of the floats, in closed form: 0.1f = 13421773 / 2²⁷, the largest
     * float (2 − 2⁻²³)·2¹²⁷, the smallest subnormal 2⁻¹⁴⁹; a float64 variable must not round them
     * to the nearest double of their decimal spelling (0.1f is not 0.1).
     */
    @Test
    void floatValuesGoInExactlyInBothFloatingDtypes() {
        float[] values = {0.1f, -Float.MAX_VALUE, Float.MIN_VALUE, 3};
        double[] exact = {
            13421773.0 / (1 << 27), -(2 - Math.pow(2, -23)) * Math.pow(2, 127), Math.pow(2, -149), 3
        };
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Variable v = backend.variable(Fixture.unique("f" + t), values, Shape.of(2, 2), t, true);
            assertEquals(t, v.dtype());
            assertEquals(Shape.of(2, 2), v.shape());
            assertArrayEquals(exact, v.toDoubles(), 0, t.toString());
        }
        String name = Fixture.unique("flen");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                backend.variable(
                                        name, new float[3], Shape.of(2), DType.FLOAT32, true));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        String taken = Fixture.unique("fdup");
        backend.variable(taken, new float[1], Shape.of(1), DType.FLOAT32, true);
        assertThrows(
                IllegalArgumentException.class,
                () -> backend.variable(taken, new float[1], Shape.of(1), DType.FLOAT32, true));
    }

    @Test
    void tensorsConvertToTheHostAndCloseTwice() {
        Tensor big = backend.tensor(new long[] {(1L << 60) + 1}, Shape.of(1), DType.INT64);
        assertEquals((1L << 60) + 1, big.toLongs()[0]);
        Tensor f = backend.tensor(new double[] {0.1}, Shape.scalar(), DType.FLOAT64);
        assertEquals(0.1, f.scalar());
        assertEquals(0.1, backend.scalar(0.1, DType.FLOAT64).scalar());
        big.close();
        big.close();
        assertThrows(IllegalStateException.class, big::toDoubles);
        f.close();
    }
}
