package io.rankwise.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flattening named tensor records to a compiled function's positions, and back. */
class TensorRecordsTest {

    /** A tensor that only has a name: enough to follow positions. */
    static class Named implements Tensor {
        final String name;
        int closed;

        Named(String name) {
            this.name = name;
        }

        @Override
        public Shape shape() {
            return Shape.scalar();
        }

        @Override
        public DType dtype() {
            return DType.FLOAT32;
        }

        @Override
        public boolean isSymbolic() {
            return false;
        }

        @Override
        public double[] toDoubles() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed++;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Encoder(Tensor ids, Tensor mask, Tensor types) {}

    record Batch(Encoder inputs, Tensor labels) {}

    record Micro(Batch batch, Tensor seed) {}

    private record Step(List<Micro> microBatches, Optimizer.StepInputs optimizer) {}

    record Adam(Tensor lr, Tensor correction1, Tensor correction2)
            implements Optimizer.StepInputs {}

    record Noisy(Tensor lr, List<List<Tensor>> draws) implements Optimizer.StepInputs {}

    record WithNumber(Tensor x, int n) {}

    private static Micro micro(String prefix) {
        return new Micro(
                new Batch(
                        new Encoder(t(prefix + "ids"), t(prefix + "mask"), t(prefix + "types")),
                        t(prefix + "labels")),
                t(prefix + "seed"));
    }

    private static Named t(String name) {
        return new Named(name);
    }

    private static List<String> names(List<Tensor> tensors) {
        return tensors.stream().map(Object::toString).toList();
    }

    @Test
    void flattensDepthFirstInDeclarationOrder() {
        Step step =
                new Step(List.of(micro("a."), micro("b.")), new Adam(t("lr"), t("c1"), t("c2")));
        assertEquals(
                List.of(
                        "a.ids",
                        "a.mask",
                        "a.types",
                        "a.labels",
                        "a.seed",
                        "b.ids",
                        "b.mask",
                        "b.types",
                        "b.labels",
                        "b.seed",
                        "lr",
                        "c1",
                        "c2"),
                names(TensorRecords.flatten(step)));
    }

    @Test
    void listsOfListsFlattenInOrder() {
        Noisy noisy =
                new Noisy(
                        t("lr"),
                        List.of(List.of(t("s0p0"), t("s0p1")), List.of(t("s1p0"), t("s1p1"))));
        assertEquals(
                List.of("lr", "s0p0", "s0p1", "s1p0", "s1p1"), names(TensorRecords.flatten(noisy)));
        TensorRecords.Layout<Noisy> layout = TensorRecords.layout(noisy);
        assertEquals(5, layout.size());
        assertEquals("Noisy(T, [[T, T], [T, T]])", layout.toString());
    }

    @Test
    void unflattenRebuildsTheRecordFromOtherTensorsAtTheSamePositions() {
        Step step =
                new Step(List.of(micro("a."), micro("b.")), new Adam(t("lr"), t("c1"), t("c2")));
        TensorRecords.Layout<Step> layout = TensorRecords.layout(step);
        assertEquals(13, layout.size());
        // As inside a traced function: new (symbolic) tensors at the same positions.
        List<Tensor> symbolic = new ArrayList<>();
        for (Tensor x : TensorRecords.flatten(step)) {
            symbolic.add(t("sym:" + x));
        }
        Step rebuilt = layout.unflatten(symbolic);
        assertEquals("sym:b.labels", rebuilt.microBatches().get(1).batch().labels().toString());
        assertEquals(
                "sym:a.mask", rebuilt.microBatches().get(0).batch().inputs().mask().toString());
        Adam adam = rebuilt.optimizer().as(Adam.class);
        assertEquals("sym:c2", adam.correction2().toString());
        assertEquals(symbolic, TensorRecords.flatten(rebuilt));
        assertEquals(layout, TensorRecords.layout(rebuilt));
    }

    @Test
    void unflattenOfTheSameTensorsGivesAnEqualRecord() {
        Micro m = micro("");
        assertEquals(m, TensorRecords.layout(m).unflatten(TensorRecords.flatten(m)));
    }

    @Test
    void layoutsCompareByStructure() {
        Step one = new Step(List.of(micro("a.")), new Adam(t("lr"), t("c1"), t("c2")));
        Step two = new Step(List.of(micro("a."), micro("b.")), new Adam(t("lr"), t("c1"), t("c2")));
        Step noisy =
                new Step(
                        List.of(micro("a.")), new Noisy(t("lr"), List.of(List.of(t("e"), t("f")))));
        assertEquals(
                TensorRecords.layout(one),
                TensorRecords.layout(
                        new Step(List.of(micro("x.")), new Adam(t("lr"), t("c1"), t("c2")))));
        assertEquals(
                TensorRecords.layout(one).hashCode(),
                TensorRecords.layout(
                                new Step(List.of(micro("x.")), new Adam(t("lr"), t("c1"), t("c2"))))
                        .hashCode());
        assertNotEquals(TensorRecords.layout(one), TensorRecords.layout(two));
        // Same number of tensors (8), different meaning: the layouts differ.
        assertEquals(TensorRecords.layout(one).size(), TensorRecords.layout(noisy).size());
        assertNotEquals(TensorRecords.layout(one), TensorRecords.layout(noisy));
    }

    @Test
    void aRecordOfTensorsHasALayoutFromItsClass() {
        TensorRecords.Layout<Micro> layout = TensorRecords.layout(Micro.class);
        assertEquals(TensorRecords.layout(micro("")), layout);
        assertEquals("Micro(Batch(Encoder(T, T, T), T), T)", layout.toString());
        IllegalArgumentException list =
                assertThrows(
                        IllegalArgumentException.class, () -> TensorRecords.layout(Noisy.class));
        assertTrue(list.getMessage().contains("Noisy.draws"), list.getMessage());
        IllegalArgumentException iface =
                assertThrows(
                        IllegalArgumentException.class, () -> TensorRecords.layout(Step.class));
        assertTrue(iface.getMessage().contains("Step.microBatches"), iface.getMessage());
    }

    @Test
    void nullsAndOtherTypesAreRefusedNamingTheComponent() {
        IllegalArgumentException nul =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TensorRecords.flatten(
                                        new Batch(new Encoder(t("i"), null, t("t")), t("l"))));
        assertTrue(nul.getMessage().contains("inputs.mask is null"), nul.getMessage());
        IllegalArgumentException number =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TensorRecords.layout(new WithNumber(t("x"), 3)));
        assertTrue(
                number.getMessage().contains("WithNumber.n is a java.lang.Integer"),
                number.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorRecords.layout(WithNumber.class));
        assertThrows(IllegalArgumentException.class, () -> TensorRecords.flatten("text"));
    }

    @Test
    void unflattenChecksTheCount() {
        TensorRecords.Layout<Encoder> layout = TensorRecords.layout(Encoder.class);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> layout.unflatten(List.of(t("a"), t("b"))));
        assertTrue(e.getMessage().contains("takes 3 tensors; 2 were given"), e.getMessage());
    }

    @Test
    void layoutFlattenRefusesAnotherStructure() {
        TensorRecords.Layout<Step> layout =
                TensorRecords.layout(
                        new Step(List.of(micro("a.")), new Adam(t("a"), t("b"), t("c"))));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        layout.flatten(
                                new Step(
                                        List.of(micro("a."), micro("b.")),
                                        new Adam(t("a"), t("b"), t("c")))));
    }

    @Test
    void closeClosesEachTensorOnceAndAllDespiteFailures() {
        Named shared = t("shared");
        Named failing =
                new Named("failing") {
                    @Override
                    public void close() {
                        super.close();
                        throw new IllegalStateException("cannot close");
                    }
                };
        Named last = t("last");
        Encoder e = new Encoder(shared, failing, shared);
        assertThrows(IllegalStateException.class, () -> TensorRecords.close(new Batch(e, last)));
        assertEquals(1, shared.closed);
        assertEquals(1, failing.closed);
        assertEquals(1, last.closed);
    }

    @Test
    void stepInputsCloseTheirTensorsAndRefuseAnotherOptimizersType() {
        Named lr = t("lr");
        Named c1 = t("c1");
        Named c2 = t("c2");
        Optimizer.StepInputs in = new Adam(lr, c1, c2);
        in.close();
        assertEquals(List.of(1, 1, 1), List.of(lr.closed, c1.closed, c2.closed));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> in.as(Noisy.class));
        assertTrue(e.getMessage().contains(Noisy.class.getName()), e.getMessage());
        assertSame(in, in.as(Adam.class));
    }

    /**
     * A backend whose compiled functions run the body on fresh "symbolic" tensors, as a tracer
     * would.
     */
    static final class TracingBackend implements Backend {
        final List<List<String>> traced = new ArrayList<>();
        int compiled;
        int closed;

        @Override
        public String name() {
            return "tracing";
        }

        @Override
        public Device device() {
            return Device.cpu();
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public Tensor tensor(double[] values, Shape shape, DType dtype) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tensor tensor(long[] values, Shape shape, DType dtype) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Variable variable(
                String name, double[] values, Shape shape, DType dtype, boolean trainable) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompiledFunction compile(StepFunction function) {
            compiled++;
            return new CompiledFunction() {
                @Override
                public List<Tensor> call(List<Tensor> inputs) {
                    traced.add(names(inputs));
                    List<Tensor> symbolic =
                            inputs.stream()
                                    .map(x -> (Tensor) t("sym" + compiled + ":" + x))
                                    .toList();
                    return function.apply(null, symbolic);
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void recordFunctionsPassNamedInputsAndCompileOncePerLayout() {
        TracingBackend backend = new TracingBackend();
        List<String> seen = new ArrayList<>();
        RecordFunction<Step> f =
                RecordFunction.compile(
                        backend,
                        (ops, in) -> {
                            seen.add(
                                    in.microBatches().get(0).seed()
                                            + " "
                                            + in.optimizer().as(Adam.class).lr());
                            return List.of(in.microBatches().get(0).batch().labels());
                        });
        Step one = new Step(List.of(micro("a.")), new Adam(t("lr"), t("c1"), t("c2")));
        assertEquals(List.of("sym1:a.labels"), names(f.call(one)));
        assertEquals(List.of("sym1:a.seed sym1:lr"), seen);
        assertEquals(
                List.of("a.ids", "a.mask", "a.types", "a.labels", "a.seed", "lr", "c1", "c2"),
                backend.traced.get(0));
        f.call(new Step(List.of(micro("b.")), new Adam(t("lr"), t("c1"), t("c2"))));
        assertEquals(1, backend.compiled, "the same layout reuses the compiled function");
        f.call(new Step(List.of(micro("a."), micro("b.")), new Adam(t("lr"), t("c1"), t("c2"))));
        assertEquals(2, backend.compiled, "another layout gets its own");
        f.close();
        assertEquals(2, backend.closed);
    }
}
