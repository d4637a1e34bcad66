package io.rankwise.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.testing.Backends;
import io.rankwise.testing.Check;
import io.rankwise.testing.Exec;
import io.rankwise.testing.OpCases;
import io.rankwise.testing.RefArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of {@link Ops} on every discovered backend, in float64 and float32, against the
 * plain-Java float64 reference {@link RefArray}; and every argument rule of {@link Ops} broken on
 * every backend, which must refuse it with one and the same message.
 */
@ExtendWith(Backends.class)
class OpConformanceTest {

    static Stream<Arguments> backendsAndTypes() {
        return Backends.withFloatTypes();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String b : Backends.names()) {
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (String c : OpCases.names()) {
                    out.add(Arguments.of(b, t, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void opMatchesTheFloat64Reference(String backendName, DType dtype, String caseName) {
        Backend backend = Backends.get(backendName);
        OpCases.OpCase c = OpCases.get(caseName);
        RefArray expected = c.expected(dtype);
        List<Exec.Out> out =
                Exec.run(
                        backendName + " op '" + caseName + "' " + dtype,
                        backend,
                        (ops, in) -> List.of(c.fn.apply(ops, in, dtype)),
                        c.inputs(dtype));
        assertEquals(
                1, out.size(), backendName + " " + caseName + " " + dtype + ": number of outputs");
        DType outType = c.outType(dtype);
        double tol =
                outType.isFloating()
                        ? Check.tolerance(outType == DType.FLOAT64 ? dtype : DType.FLOAT32)
                        : 0;
        Check.output(
                backendName + " op '" + caseName + "' " + dtype,
                expected,
                outType,
                out.get(0),
                tol,
                tol);
    }

    // ------------------------------------------------------------------ refusals

    static Stream<String> refusals() {
        return OpCases.refusalNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badArgumentsAreRefusedWithOneMessageOnEveryBackend(String caseName) {
        OpCases.Refusal c = OpCases.refusal(caseName);
        Map<String, String> messages = new LinkedHashMap<>();
        for (String backendName : Backends.names()) {
            Backend backend = Backends.get(backendName);
            String what = backendName + " '" + caseName + "'";
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    Exec.run(
                                            backend,
                                            (ops, in) -> List.of(c.call().apply(ops, in)),
                                            c.inputs()),
                            what + ": not refused with an IllegalArgumentException");
            String message = e.getMessage();
            assertTrue(
                    message.startsWith(c.fragments().get(0)),
                    what
                            + ": the message does not start with the"
                            + " operation '"
                            + c.fragments().get(0)
                            + "': "
                            + message);
            for (String fragment : c.fragments()) {
                assertTrue(
                        message.contains(fragment),
                        what + ": the message does not name '" + fragment + "': " + message);
            }
            assertTrue(
                    message.contains("; accepted: "),
                    what + ": the message does not say what is accepted: " + message);
            messages.put(backendName, message);
        }
        assertEquals(
                1,
                messages.values().stream().distinct().count(),
                caseName + ": the backends refused with different messages: " + messages);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void mixedFloatingTypesAreRefusedNotPromoted(String backendName, DType dtype) {
        // Every binary entry point, each operand order: PyTorch would promote all of these to
        // float64.
        Backend backend = Backends.get(backendName);
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        List<Exec.In> inputs =
                List.of(
                        new Exec.In(RefArray.of(new double[] {1, 2}, 2), dtype),
                        new Exec.In(RefArray.of(new double[] {3, 4}, 2), other));
        for (String op : List.of("add", "sub", "mul", "div", "pow", "maximum", "minimum")) {
            for (int first = 0; first < 2; first++) {
                int a = first;
                String what =
                        backendName
                                + " "
                                + op
                                + "("
                                + inputs.get(a).dtype()
                                + ", "
                                + inputs.get(1 - a).dtype()
                                + ")";
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Exec.run(
                                                backend,
                                                (ops, in) ->
                                                        List.of(
                                                                binary(
                                                                        ops,
                                                                        op,
                                                                        in.get(a),
                                                                        in.get(1 - a))),
                                                inputs),
                                what + ": mixed floating dtypes were not refused");
                assertEquals(
                        op
                                + ": a is "
                                + inputs.get(a).dtype()
                                + " [2] and b is "
                                + inputs.get(1 - a).dtype()
                                + " [2]; accepted: operands of one dtype (no implicit promotion; cast one of them first)",
                        e.getMessage(),
                        what);
            }
        }
        // ... and with an explicit cast the same call is fine.
        List<Exec.Out> out =
                Exec.run(
                        backendName + " add after a cast",
                        backend,
                        (ops, in) -> List.of(ops.add(in.get(0), ops.cast(in.get(1), dtype))),
                        inputs);
        assertEquals(dtype, out.get(0).dtype(), backendName + ": add after a cast: dtype");
        Check.exact(backendName + ": add after a cast", new double[] {4, 6}, out.get(0).values());
    }

    private static Tensor binary(Ops ops, String op, Tensor a, Tensor b) {
        switch (op) {
            case "add":
                return ops.add(a, b);
            case "sub":
                return ops.sub(a, b);
            case "mul":
                return ops.mul(a, b);
            case "div":
                return ops.div(a, b);
            case "pow":
                return ops.pow(a, b);
            case "maximum":
                return ops.maximum(a, b);
            default:
                return ops.minimum(a, b);
        }
    }

    static Stream<DType> floatTypes() {
        return Stream.of(DType.FLOAT64, DType.FLOAT32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floatTypes")
    void assigningAnotherDtypeOrShapeIsRefusedWithOneMessage(DType dtype) {
        // One variable name on every backend (names are unique per backend), so that the messages
        // can be equal.
        String name = Backends.unique("assigned");
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Map<String, String> messages = new LinkedHashMap<>();
        for (String backendName : Backends.names()) {
            Backend backend = Backends.get(backendName);
            Variable v = backend.variable(name, new double[] {1, 2}, Shape.of(2), dtype, true);
            for (Exec.In value :
                    List.of(
                            new Exec.In(RefArray.of(new double[] {1, 2}, 2), other),
                            new Exec.In(RefArray.of(new double[] {1, 2}, 1, 2), dtype))) {
                String what =
                        backendName
                                + " assign "
                                + value.dtype()
                                + " "
                                + Shape.of(value.value().shape)
                                + " to "
                                + dtype
                                + " [2]";
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Exec.run(
                                                backend,
                                                (ops, in) -> {
                                                    ops.assign(v, in.get(0));
                                                    return List.of();
                                                },
                                                List.of(value)),
                                what + ": not refused");
                assertTrue(
                        e.getMessage().startsWith("assign: ") && e.getMessage().contains(name),
                        what + ": " + e.getMessage());
                messages.merge(
                        what.substring(backendName.length()),
                        e.getMessage(),
                        (x, y) -> {
                            assertEquals(
                                    x, y, what + ": the message differs from another backend's");
                            return x;
                        });
            }
            Check.exact(
                    backendName + ": the variable after refused assigns",
                    new double[] {1, 2},
                    v.toDoubles());
        }
    }

    // ------------------------------------------------------------------ random draws

    private static final int DRAWS = 100 * 100;

    private static CompiledFunction randomFunction(Backend backend, boolean normal, DType dtype) {
        return backend.compile(
                (ops, in) ->
                        List.of(
                                normal
                                        ? ops.randomNormal(
                                                Shape.of(100, 100), dtype, in.get(0), 1.5, 2.0)
                                        : ops.randomUniform(
                                                Shape.of(100, 100), dtype, in.get(0), -2.0, 3.0)));
    }

    private static Exec.Out draw(Backend backend, CompiledFunction f, long s0, long s1) {
        List<Exec.Out> out =
                Exec.call(
                        backend,
                        f,
                        List.of(new Exec.In(RefArray.of(new double[] {s0, s1}, 2), DType.INT64)));
        assertEquals(1, out.size());
        return out.get(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void randomNormalHasTheShapeTypeAndMomentsAskedFor(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " randomNormal " + dtype;
        try (CompiledFunction f = randomFunction(backend, true, dtype)) {
            Exec.Out a = draw(backend, f, 42, 7);
            assertEquals(Shape.of(100, 100), a.shape(), what + ": shape");
            assertEquals(dtype, a.dtype(), what + ": dtype");
            double[] v = a.values();
            double mean = mean(v);
            double std = std(v, mean);
            // standard errors: 2/100 for the mean, about 2/141 for the std; allow 5 of each.
            assertEquals(1.5, mean, 0.1, what + ": sample mean of " + DRAWS);
            assertEquals(2.0, std, 0.075, what + ": sample std of " + DRAWS);
            long within = java.util.Arrays.stream(v).filter(x -> Math.abs(x - 1.5) < 2.0).count();
            // P(|Z| < 1) = 0.6827, standard error 0.0047
            assertEquals(
                    0.6827, within / (double) DRAWS, 0.025, what + ": fraction within one std");
            long beyond = java.util.Arrays.stream(v).filter(x -> Math.abs(x - 1.5) > 4.0).count();
            // P(|Z| > 2) = 0.0455: tails a uniform would not have
            assertEquals(
                    0.0455, beyond / (double) DRAWS, 0.012, what + ": fraction beyond two std");
            checkSeeding(backend, what, f, a, true, dtype);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void randomUniformHasTheShapeTypeRangeAndMomentsAskedFor(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " randomUniform " + dtype;
        try (CompiledFunction f = randomFunction(backend, false, dtype)) {
            Exec.Out a = draw(backend, f, 42, 7);
            assertEquals(Shape.of(100, 100), a.shape(), what + ": shape");
            assertEquals(dtype, a.dtype(), what + ": dtype");
            double[] v = a.values();
            for (double x : v) {
                assertTrue(x >= -2.0 && x < 3.0, what + ": draw " + x + " outside [-2, 3)");
            }
            double mean = mean(v);
            double std = std(v, mean);
            double sd = 5 / Math.sqrt(12);
            assertEquals(0.5, mean, 5 * sd / 100, what + ": sample mean of " + DRAWS);
            assertEquals(sd, std, 0.04, what + ": sample std of " + DRAWS);
            long low = java.util.Arrays.stream(v).filter(x -> x < -1.0).count();
            assertEquals(0.2, low / (double) DRAWS, 0.02, what + ": fraction in [-2, -1)");
            long high = java.util.Arrays.stream(v).filter(x -> x >= 2.0).count();
            assertEquals(0.2, high / (double) DRAWS, 0.02, what + ": fraction in [2, 3)");
            checkSeeding(backend, what, f, a, false, dtype);
        }
    }

    /** Same seed: the same draws (also from a fresh compilation); another seed: other draws. */
    private static void checkSeeding(
            Backend backend,
            String what,
            CompiledFunction f,
            Exec.Out first,
            boolean normal,
            DType dtype) {
        Check.exact(
                what + ": second call with the same seed",
                first.values(),
                draw(backend, f, 42, 7).values());
        try (CompiledFunction g = randomFunction(backend, normal, dtype)) {
            Check.exact(
                    what + ": a new compilation with the same seed",
                    first.values(),
                    draw(backend, g, 42, 7).values());
        }
        for (long[] other : new long[][] {{43, 7}, {42, 8}}) {
            double[] b = draw(backend, f, other[0], other[1]).values();
            int same = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == first.values()[i]) {
                    same++;
                }
            }
            assertTrue(
                    same < DRAWS / 100,
                    what
                            + ": seed ["
                            + other[0]
                            + ", "
                            + other[1]
                            + "] repeats "
                            + same
                            + " of "
                            + DRAWS
                            + " draws of seed [42, 7]");
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    // ------------------------------------------------------------------ variables

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void readsSeePreCallValuesAndAssignsTakeEffectInTheNextCall(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " read/assign " + dtype;
        double[] init = {1.5, -2.25, 3.0, 0.5, -0.75, 4.0};
        double[] x = {0.25, 1.0, -0.5, 2.0, 0.125, -1.5};
        String name = Backends.unique("v");
        Variable v = backend.variable(name, init, Shape.of(2, 3), dtype, true);
        assertEquals(name, v.name(), what + ": name");
        assertEquals(Shape.of(2, 3), v.shape(), what + ": shape");
        assertEquals(dtype, v.dtype(), what + ": dtype");
        assertTrue(v.trainable(), what + ": trainable");
        Check.exact(what + ": host copy of the initial value", init, v.toDoubles());
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            Tensor before = ops.read(v);
                            ops.assign(v, ops.add(before, in.get(0)));
                            Tensor after = ops.read(v);
                            return List.of(before, after, ops.mul(after, 2.0));
                        })) {
            List<Exec.In> in = List.of(new Exec.In(RefArray.of(x, 2, 3), dtype));
            double[] plus = add(init, x);
            double[] plus2 = add(plus, x);
            List<Exec.Out> first = Exec.call(backend, f, in);
            Check.exact(what + ": call 1 read before assign", init, first.get(0).values());
            Check.exact(
                    what + ": call 1 read after assign (must still see the pre-call value)",
                    init,
                    first.get(1).values());
            Check.exact(
                    what + ": call 1 value computed from the read after assign",
                    scale(init, 2),
                    first.get(2).values());
            Check.exact(what + ": host value after call 1", plus, v.toDoubles());
            List<Exec.Out> second = Exec.call(backend, f, in);
            Check.exact(
                    what + ": call 2 read before assign (sees call 1's write)",
                    plus,
                    second.get(0).values());
            Check.exact(what + ": call 2 read after assign", plus, second.get(1).values());
            Check.exact(what + ": host value after call 2", plus2, v.toDoubles());
            // a host write is seen by the next call
            double[] host = {9, 8, 7, 6, 5, 4};
            v.assign(host);
            Check.exact(what + ": host copy after a host assign", host, v.toDoubles());
            List<Exec.Out> third = Exec.call(backend, f, in);
            Check.exact(what + ": call 3 read after a host assign", host, third.get(0).values());
            Check.exact(what + ": host value after call 3", add(host, x), v.toDoubles());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void assignsInOneCallSwapTwoVariables(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " swap by assign " + dtype;
        double[] a0 = {1, 2, 3};
        double[] b0 = {-4, -5, -6};
        Variable a = backend.variable(Backends.unique("a"), a0, Shape.of(3), dtype, true);
        Variable b = backend.variable(Backends.unique("b"), b0, Shape.of(3), dtype, false);
        assertFalse(b.trainable(), what + ": frozen variable reports trainable");
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            ops.assign(a, ops.read(b));
                            ops.assign(b, ops.read(a));
                            return List.of();
                        })) {
            List<Tensor> none = f.call(List.of());
            assertTrue(
                    none.isEmpty(),
                    what + ": a function returning no outputs returned " + none.size());
            Check.exact(what + ": a after one call", b0, a.toDoubles());
            Check.exact(what + ": b after one call", a0, b.toDoubles());
            f.call(List.of()).forEach(Tensor::close);
            Check.exact(what + ": a after two calls", a0, a.toDoubles());
            Check.exact(what + ": b after two calls", b0, b.toDoubles());
        }
    }

    // ------------------------------------------------------------------ compiled functions

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void aCompiledFunctionRecomputesForNewInputs(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " repeated calls " + dtype;
        AtomicReference<Ops> seen = new AtomicReference<>();
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) -> {
                            seen.set(ops);
                            return List.of(
                                    ops.mul(ops.exp(in.get(0)), in.get(1)), ops.sum(in.get(1)));
                        })) {
            for (int call = 0; call < 3; call++) {
                RefArray x = RefArray.of(new double[] {call, -call, 0.5 * call, 1}, 2, 2);
                RefArray y = RefArray.of(new double[] {2 + call, 1, -1, 0.5 * call}, 2, 2);
                List<Exec.Out> out =
                        Exec.call(
                                backend, f, List.of(new Exec.In(x, dtype), new Exec.In(y, dtype)));
                assertEquals(2, out.size(), what + ": outputs");
                double tol = Check.tolerance(dtype);
                Check.output(
                        what + " call " + call + " exp(x)*y",
                        x.map(Math::exp).mul(y),
                        dtype,
                        out.get(0),
                        tol,
                        tol);
                Check.output(
                        what + " call " + call + " sum(y)",
                        RefArray.scalar(y.sumAll()),
                        dtype,
                        out.get(1),
                        tol,
                        tol);
            }
            assertSame(
                    backend,
                    seen.get().backend(),
                    what + ": ops.backend() is not the backend that compiled");
            Tensor extra = backend.scalar(1, dtype);
            Tensor x1 = backend.scalar(1, dtype);
            try {
                assertThrows(
                        IllegalArgumentException.class,
                        () -> f.call(List.of(x1, x1, extra)),
                        what + ": a call with a different number of inputs");
            } finally {
                extra.close();
                x1.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void hostTensorsKeepValuesShapeAndType(String backendName, DType dtype) {
        Backend backend = Backends.get(backendName);
        String what = backendName + " backend.tensor " + dtype;
        double[] v = {0.1, -2.5, 3.75, 1e-3, 123.5, -0.0625};
        try (Tensor t = backend.tensor(v, Shape.of(3, 2), dtype);
                Tensor i = backend.tensor(new long[] {5, -3, 1L << 40}, Shape.of(3), DType.INT64);
                Tensor s = backend.scalar(-1.25, dtype)) {
            assertFalse(t.isSymbolic(), what + ": concrete tensor reports symbolic");
            assertEquals(Shape.of(3, 2), t.shape(), what + ": shape");
            assertEquals(dtype, t.dtype(), what + ": dtype");
            double tol = Check.tolerance(dtype);
            Check.close(what + ": values", v, t.toDoubles(), tol, 0);
            assertArrayEquals(new long[] {5, -3, 1L << 40}, i.toLongs(), what + ": INT64 values");
            assertEquals(DType.INT64, i.dtype(), what + ": INT64 dtype");
            assertEquals(Shape.scalar(), s.shape(), what + ": scalar shape");
            assertEquals(-1.25, s.scalar(), 0, what + ": scalar value");
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> backend.tensor(new double[5], Shape.of(2, 3), dtype),
                what + ": 5 values for shape [2, 3]");
    }

    private static double[] add(double[] a, double[] b) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] + b[i];
        }
        return o;
    }

    private static double[] scale(double[] a, double c) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] * c;
        }
        return o;
    }
}
