package io.rankwise.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A step function is traced once per input signature; later calls only feed and fetch. */
class TracingTest {
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
    void sameSignatureDoesNotRetraceOrGrowTheGraph() {
        AtomicInteger traces = new AtomicInteger();
        try (TfCompiledFunction f =
                (TfCompiledFunction)
                        backend.compile(
                                (ops, in) -> {
                                    traces.incrementAndGet();
                                    return List.of(ops.mul(ops.exp(in.get(0)), 2.0));
                                })) {
            double[] first = callOnce(f, new double[] {0, 1}, Shape.of(2));
            int nodes = backend.graph().size();
            double[] second = callOnce(f, new double[] {1, 0}, Shape.of(2));
            assertEquals(
                    nodes,
                    backend.graph().size(),
                    "a second call with the same signature grew the graph");
            assertEquals(1, traces.get());
            assertArrayEquals(new double[] {2, 2 * Math.E}, first, 1e-12);
            assertArrayEquals(new double[] {2 * Math.E, 2}, second, 1e-12);

            double[] third = callOnce(f, new double[] {0, 0, 0}, Shape.of(3));
            assertEquals(2, traces.get(), "a new shape must trace again");
            assertEquals(2, f.traces());
            assertArrayEquals(new double[] {2, 2, 2}, third, 1e-12);
            callOnce(f, new double[] {1, 1}, Shape.of(2));
            assertEquals(2, traces.get(), "going back to the first shape must reuse its trace");
        }
    }

    @Test
    void outputsAreConcreteAndInsideTheTraceTensorsAreSymbolic() {
        try (TfCompiledFunction f =
                        (TfCompiledFunction)
                                backend.compile(
                                        (ops, in) -> {
                                            Tensor y = ops.add(in.get(0), 1.0);
                                            assertTrue(y.isSymbolic());
                                            assertEquals(Shape.of(2, 2), y.shape());
                                            IllegalStateException e =
                                                    assertThrows(
                                                            IllegalStateException.class,
                                                            y::toDoubles);
                                            assertTrue(
                                                    e.getMessage().contains("tensorflow"),
                                                    e.getMessage());
                                            return List.of(y);
                                        });
                Tensor x =
                        backend.tensor(new double[] {1, 2, 3, 4}, Shape.of(2, 2), DType.FLOAT32)) {
            Tensor out = f.call(x).get(0);
            assertFalse(out.isSymbolic());
            assertEquals(DType.FLOAT32, out.dtype());
            assertArrayEquals(new double[] {2, 3, 4, 5}, out.toDoubles(), 0);
            out.close();
            assertThrows(IllegalStateException.class, out::toDoubles, "a closed tensor");
        }
    }

    @Test
    void capturedHostTensorsBecomeConstants() {
        try (Tensor c = backend.tensor(new long[] {1L << 60, 3}, Shape.of(2), DType.INT64);
                TfCompiledFunction f =
                        (TfCompiledFunction)
                                backend.compile((ops, in) -> List.of(ops.add(in.get(0), c)));
                Tensor x = backend.tensor(new long[] {1, 2}, Shape.of(2), DType.INT64);
                Tensor out = f.call(x).get(0)) {
            assertArrayEquals(
                    new long[] {(1L << 60) + 1, 5}, out.toLongs(), "INT64 must round-trip exactly");
        }
    }

    /**
     * TensorFlow refuses to fetch a fed placeholder or the same output twice; both must still work.
     */
    @Test
    void anInputOrARepeatedTensorCanBeReturned() {
        try (TfCompiledFunction f =
                        (TfCompiledFunction)
                                backend.compile(
                                        (ops, in) -> {
                                            Tensor y = ops.neg(in.get(0));
                                            return List.of(
                                                    in.get(0),
                                                    y,
                                                    y,
                                                    ops.cast(in.get(0), DType.FLOAT64));
                                        });
                Tensor x = backend.tensor(new double[] {1, -2}, Shape.of(2), DType.FLOAT64)) {
            List<Tensor> out = f.call(x);
            assertArrayEquals(new double[] {1, -2}, out.get(0).toDoubles(), 0);
            out.get(1).close();
            assertArrayEquals(
                    new double[] {-1, 2},
                    out.get(2).toDoubles(),
                    0,
                    "closing one output must not free another");
            assertArrayEquals(new double[] {1, -2}, out.get(3).toDoubles(), 0);
            out.forEach(Tensor::close);
            assertArrayEquals(
                    new double[] {1, -2}, x.toDoubles(), 0, "the caller's input must survive");
        }
    }

    @Test
    void refusesADifferentNumberOfInputs() {
        try (TfCompiledFunction f =
                        (TfCompiledFunction) backend.compile((ops, in) -> List.of(in.get(0)));
                Tensor x = backend.scalar(1, DType.FLOAT64)) {
            f.call(x).forEach(Tensor::close);
            assertThrows(IllegalArgumentException.class, () -> f.call(x, x));
        }
    }

    private static double[] callOnce(TfCompiledFunction f, double[] values, Shape shape) {
        try (Tensor x = backend.tensor(values, shape, DType.FLOAT64);
                Tensor out = f.call(x).get(0)) {
            return out.toDoubles();
        }
    }
}
