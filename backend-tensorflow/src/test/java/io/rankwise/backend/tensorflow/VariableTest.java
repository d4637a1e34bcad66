package io.rankwise.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource variables: reads in a call see pre-call values, writes are visible from the next call.
 */
class VariableTest {
    private static TfBackend backend;

    @BeforeAll
    static void create() {
        backend = (TfBackend) new TfBackendProvider().create(Device.cpu());
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void readsSeePreCallValuesAndWritesShowNextCall() {
        Variable a =
                backend.variable("vt.a", new double[] {1, 2}, Shape.of(2), DType.FLOAT64, true);
        Variable b =
                backend.variable("vt.b", new double[] {10, 20}, Shape.of(2), DType.FLOAT64, false);
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            Tensor before = ops.read(a);
                            ops.assign(a, ops.add(before, ops.read(b))); // a <- a + b
                            ops.assign(
                                    b,
                                    ops.mul(
                                            ops.read(b),
                                            2.0)); // b <- 2b, read after a's write was recorded
                            Tensor afterWrite = ops.read(a); // still the pre-call value
                            return List.of(before, afterWrite, ops.read(b));
                        })) {
            List<Tensor> out = f.call(List.of());
            assertArrayEquals(new double[] {1, 2}, out.get(0).toDoubles(), 0);
            assertArrayEquals(new double[] {1, 2}, out.get(1).toDoubles(), 0);
            assertArrayEquals(new double[] {10, 20}, out.get(2).toDoubles(), 0);
            out.forEach(Tensor::close);
            assertArrayEquals(new double[] {11, 22}, a.toDoubles(), 0);
            assertArrayEquals(new double[] {20, 40}, b.toDoubles(), 0);

            out = f.call(List.of());
            assertArrayEquals(new double[] {11, 22}, out.get(0).toDoubles(), 0);
            out.forEach(Tensor::close);
            assertArrayEquals(new double[] {31, 62}, a.toDoubles(), 0);

            a.assign(new double[] {0, 0});
            out = f.call(List.of());
            assertArrayEquals(new double[] {0, 0}, out.get(0).toDoubles(), 0);
            out.forEach(Tensor::close);
            assertArrayEquals(new double[] {40, 80}, a.toDoubles(), 0);
        }
    }

    @Test
    void variablesAreSharedBetweenFunctionsAndKeepTheirOwnValues() {
        Variable p =
                backend.variable(
                        "vt.p",
                        new double[] {1, 2, 3, 4, 5, 6},
                        Shape.of(2, 3),
                        DType.FLOAT32,
                        true);
        Variable q =
                backend.variable("vt.q", new double[] {7}, Shape.scalar(), DType.FLOAT32, true);
        try (CompiledFunction inc =
                        backend.compile(
                                (ops, in) -> {
                                    ops.assign(p, ops.add(ops.read(p), ops.read(q)));
                                    return List.of();
                                });
                CompiledFunction get =
                        backend.compile((ops, in) -> List.of(ops.read(p), ops.read(q)))) {
            inc.call(List.of());
            List<Tensor> out = get.call(List.of());
            assertArrayEquals(new double[] {8, 9, 10, 11, 12, 13}, out.get(0).toDoubles(), 0);
            assertArrayEquals(new double[] {7}, out.get(1).toDoubles(), 0);
            out.forEach(Tensor::close);
        }
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
            Variable v = backend.variable("vt.f" + t, values, Shape.of(2, 2), t, true);
            assertArrayEquals(exact, v.toDoubles(), 0, t.toString());
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                backend.variable(
                                        "vt.flen", new float[3], Shape.of(2), DType.FLOAT32, true));
        assertTrue(e.getMessage().contains("vt.flen"), e.getMessage());
        backend.variable("vt.fdup", new float[1], Shape.of(1), DType.FLOAT32, true);
        assertThrows(
                IllegalArgumentException.class,
                () -> backend.variable("vt.fdup", new float[1], Shape.of(1), DType.FLOAT32, true));
    }

    @Test
    void refusesDuplicateNamesWrongLengthsAndMismatchedAssigns() {
        backend.variable("vt.dup", new double[1], Shape.of(1), DType.FLOAT64, true);
        assertThrows(
                IllegalArgumentException.class,
                () -> backend.variable("vt.dup", new double[1], Shape.of(1), DType.FLOAT64, true));
        assertThrows(
                IllegalArgumentException.class,
                () -> backend.variable("vt.len", new double[3], Shape.of(2), DType.FLOAT64, true));
        Variable v = backend.variable("vt.shape", new double[2], Shape.of(2), DType.FLOAT64, true);
        assertThrows(IllegalArgumentException.class, () -> v.assign(new double[3]));
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            ops.assign(v, ops.zeros(Shape.of(3), DType.FLOAT64));
                            return List.of();
                        })) {
            assertThrows(IllegalArgumentException.class, () -> f.call(List.of()));
        }
    }
}
