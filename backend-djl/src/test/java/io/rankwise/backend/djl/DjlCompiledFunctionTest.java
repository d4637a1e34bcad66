package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

class DjlCompiledFunctionTest {
    private final DjlBackend backend = Fixture.backend();

    private int managedArrays() {
        return backend.manager().getManagedArrays().size();
    }

    @Test
    void aCallFreesWhatItMadeExceptItsOutputsWhichSurviveIt() {
        Variable v =
                backend.variable(
                        Fixture.unique("acc"),
                        new double[] {0, 0},
                        Shape.of(2),
                        DType.FLOAT32,
                        true);
        CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            Tensor x = in.get(0);
                            Tensor t = x;
                            for (int i = 0; i < 20; i++) {
                                t =
                                        ops.tanh(
                                                ops.add(
                                                        ops.mul(t, 0.5),
                                                        ops.constant(
                                                                new double[] {i, -i},
                                                                Shape.of(2),
                                                                DType.FLOAT32)));
                            }
                            ops.assign(v, ops.add(ops.read(v), t));
                            return List.of(t, ops.sum(t));
                        });
        try (Tensor x = backend.tensor(new double[] {1, 2}, Shape.of(2), DType.FLOAT32)) {
            f.call(x).forEach(Tensor::close); // warm-up: fills the constant cache
            int before = managedArrays();
            for (int i = 0; i < 200; i++) {
                f.call(x).forEach(Tensor::close);
            }
            assertEquals(before, managedArrays(), "arrays left behind by 200 calls");

            List<Tensor> out = f.call(x);
            assertEquals(before + 2, managedArrays());
            assertEquals(Shape.of(2), out.get(0).shape());
            assertEquals(
                    out.get(0).toDoubles()[0] + out.get(0).toDoubles()[1],
                    out.get(1).scalar(),
                    1e-6);
            out.forEach(Tensor::close);
            out.forEach(Tensor::close); // closing twice is harmless
            assertEquals(before, managedArrays());
        }
    }

    @Test
    void readsSeeThePreCallValueAndWritesLandWhenTheCallEnds() {
        Variable v =
                backend.variable(
                        Fixture.unique("v"), new double[] {1, 2}, Shape.of(2), DType.FLOAT64, true);
        CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            Tensor before = ops.read(v);
                            ops.assign(v, ops.mul(before, 10.0));
                            Tensor afterAssign = ops.read(v); // still the pre-call value
                            ops.assign(v, ops.add(afterAssign, 1.0)); // the last write wins
                            return List.of(before, afterAssign);
                        });
        List<Tensor> out = f.call();
        assertArrayEquals(new double[] {1, 2}, out.get(0).toDoubles());
        assertArrayEquals(new double[] {1, 2}, out.get(1).toDoubles());
        assertArrayEquals(new double[] {2, 3}, v.toDoubles());
        // The returned reads stay valid and keep their values after the variable moved on.
        f.call().forEach(Tensor::close);
        assertArrayEquals(new double[] {3, 4}, v.toDoubles());
        assertArrayEquals(new double[] {1, 2}, out.get(0).toDoubles());
        out.forEach(Tensor::close);
    }

    @Test
    void aFailingCallChangesNothing() {
        Variable v =
                backend.variable(
                        Fixture.unique("keep"), new double[] {5}, Shape.of(1), DType.FLOAT32, true);
        CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            ops.assign(v, ops.add(ops.read(v), 1.0));
                            throw new IllegalStateException("boom");
                        });
        backend.scalars().get(1.0, DType.FLOAT32); // the constant is cached for good; not a leak
        int before = managedArrays();
        assertThrows(IllegalStateException.class, f::call);
        assertArrayEquals(new double[] {5}, v.toDoubles());
        assertEquals(before, managedArrays());
    }

    @Test
    void assignmentsAreChecked() {
        Variable v =
                backend.variable(
                        Fixture.unique("typed"),
                        new double[] {5},
                        Shape.of(1),
                        DType.FLOAT32,
                        true);
        CompiledFunction wrongType =
                backend.compile(
                        (ops, in) -> {
                            ops.assign(v, ops.full(Shape.of(1), 1, DType.FLOAT64));
                            return List.of();
                        });
        assertThrows(IllegalArgumentException.class, wrongType::call);
    }

    @Test
    void theNumberOfInputsMustStayTheSame() {
        CompiledFunction f = backend.compile((ops, in) -> List.of());
        try (Tensor x = backend.scalar(1, DType.FLOAT32)) {
            f.call(x);
            assertThrows(IllegalArgumentException.class, () -> f.call(x, x));
        }
    }
}
