package io.rankwise.testing;

import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The table of operation cases shared by the conformance, gradient and parity tests: for each, the
 * inputs (drawn from {@link HostRandom} inside the operation's domain), the computation written
 * with {@link Ops}, and the same computation on {@link RefArray}.
 */
public final class OpCases {
    private static final long SEED = 20240611L;

    /** An input; {@code fixedType} null means "the test's floating type". */
    public record Arg(RefArray value, DType fixedType) {
        public DType type(DType testType) {
            return fixedType == null ? testType : fixedType;
        }
    }

    /** The computation on a backend. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Ops ops, List<Tensor> in, DType dtype);
    }

    /** The same computation on the reference. */
    @FunctionalInterface
    public interface Ref {
        RefArray apply(List<RefArray> in);
    }

    /** One case. */
    public static final class OpCase {
        public final String name;
        public final List<Arg> args;
        public final Fn fn;
        public final Ref ref;
        // Set once, while the table is built (out(...) and wrt(...)); read-only afterwards.
        DType outType;
        public int[] wrt;

        OpCase(String name, List<Arg> args, Fn fn, Ref ref) {
            this.name = name;
            this.args = args;
            this.fn = fn;
            this.ref = ref;
            this.wrt =
                    IntStream.range(0, args.size())
                            .filter(i -> args.get(i).fixedType() == null)
                            .toArray();
        }

        OpCase out(DType type) {
            this.outType = type;
            return this;
        }

        OpCase wrt(int... indices) {
            this.wrt = indices;
            return this;
        }

        public DType outType(DType testType) {
            return outType == null ? testType : outType;
        }

        /** The input values as the backend will see them: float32 inputs rounded to float32. */
        public List<RefArray> values(DType testType) {
            List<RefArray> v = new ArrayList<>();
            for (Arg a : args) {
                RefArray x = a.value();
                v.add(a.type(testType) == DType.FLOAT32 ? x.roundToFloat32() : x);
            }
            return v;
        }

        public List<Exec.In> inputs(DType testType) {
            List<RefArray> v = values(testType);
            List<Exec.In> in = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                in.add(new Exec.In(v.get(i), args.get(i).type(testType)));
            }
            return in;
        }

        public RefArray expected(DType testType) {
            return ref.apply(values(testType));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Function<HostRandom, OpCase>> DEFS = new LinkedHashMap<>();

    private OpCases() {}

    /** Every case name, in table order. */
    public static List<String> names() {
        return new ArrayList<>(DEFS.keySet());
    }

    /** Names of the cases that have something to differentiate. */
    public static List<String> differentiableNames() {
        return names().stream().filter(n -> get(n).wrt.length > 0).toList();
    }

    /**
     * Up to two cases of each operation (the word before the first space), for the cross-backend
     * checks, which need not repeat every variant the reference checks cover.
     */
    public static List<String> representativeNames(List<String> from) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (String n : from) {
            String op = n.split(" ")[0];
            if (seen.merge(op, 1, Integer::sum) <= 2) {
                out.add(n);
            }
        }
        return out;
    }

    /** Builds a case; the inputs are the same on every call (seeded by the case's position). */
    public static OpCase get(String name) {
        Function<HostRandom, OpCase> f = DEFS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no op case " + name);
        }
        int index = names().indexOf(name);
        return f.apply(HostRandom.forStream(SEED, index));
    }

    // ------------------------------------------------------------------ helpers

    private static void def(String name, Function<HostRandom, OpCase> f) {
        if (DEFS.putIfAbsent(
                        name,
                        r -> {
                            OpCase c = f.apply(r);
                            return new OpCase(name, c.args, c.fn, c.ref).out(c.outType).wrt(c.wrt);
                        })
                != null) {
            throw new IllegalStateException("duplicate case " + name);
        }
    }

    private static OpCase c(List<Arg> args, Fn fn, Ref ref) {
        return new OpCase("", args, fn, ref);
    }

    private static Arg f(RefArray v) {
        return new Arg(v, null);
    }

    private static Arg typed(RefArray v, DType t) {
        return new Arg(v, t);
    }

    private static RefArray normal(HostRandom r, double std, long... shape) {
        return RefArray.normal(r, 0, std, shape);
    }

    private static RefArray uniform(HostRandom r, double lo, double hi, long... shape) {
        return RefArray.uniform(r, lo, hi, shape);
    }

    private static RefArray idx(double[] values, long... shape) {
        return RefArray.of(values, shape);
    }

    private static String dims(long[] s) {
        return Arrays.toString(s).replace(" ", "");
    }

    @FunctionalInterface
    private interface BinOp {
        Tensor apply(Ops ops, Tensor a, Tensor b);
    }

    @FunctionalInterface
    private interface BinRef {
        RefArray apply(RefArray a, RefArray b);
    }

    @FunctionalInterface
    private interface Gen {
        RefArray apply(HostRandom r, long[] shape);
    }

    private static final long[][][] BROADCASTS = {
        {{3, 4}, {3, 4}},
        {{2, 3, 4}, {4}},
        {{2, 1, 4}, {3, 1}},
        {{3, 4}, {}},
        {{}, {2, 3}},
    };

    private static void binary(String op, BinOp fn, BinRef ref, Gen ga, Gen gb) {
        for (long[][] s : BROADCASTS) {
            def(
                    op + " " + dims(s[0]) + "," + dims(s[1]),
                    r ->
                            c(
                                    List.of(f(ga.apply(r, s[0])), f(gb.apply(r, s[1]))),
                                    (ops, in, dt) -> fn.apply(ops, in.get(0), in.get(1)),
                                    in -> ref.apply(in.get(0), in.get(1))));
        }
    }

    @FunctionalInterface
    private interface UnOp {
        Tensor apply(Ops ops, Tensor x);
    }

    private static void unary(
            String op, UnOp fn, java.util.function.DoubleUnaryOperator ref, double lo, double hi) {
        def(
                op,
                r ->
                        c(
                                List.of(f(uniform(r, lo, hi, 2, 3, 4))),
                                (ops, in, dt) -> fn.apply(ops, in.get(0)),
                                in -> in.get(0).map(ref)));
    }

    private static void reduction(String op, int[] axes, boolean keep) {
        String name = op + " axes=" + Arrays.toString(axes).replace(" ", "") + " keepDims=" + keep;
        def(
                name,
                r ->
                        c(
                                List.of(f(normal(r, 1.5, 2, 3, 4))),
                                (ops, in, dt) -> {
                                    switch (op) {
                                        case "sum":
                                            return ops.sum(in.get(0), axes, keep);
                                        case "mean":
                                            return ops.mean(in.get(0), axes, keep);
                                        default:
                                            return ops.max(in.get(0), axes, keep);
                                    }
                                },
                                in ->
                                        in.get(0)
                                                .reduce(
                                                        axes,
                                                        keep,
                                                        RefArray.Reduction.valueOf(
                                                                op.toUpperCase(
                                                                        java.util.Locale.ROOT)))));
    }

    // ------------------------------------------------------------------ the table

    static {
        // creation
        def(
                "constant(double[])",
                r -> {
                    RefArray v = normal(r, 1, 2, 3);
                    return c(
                            List.of(),
                            (ops, in, dt) -> ops.constant(v.data.clone(), v.shapeObject(), dt),
                            in -> v);
                });
        def(
                "constant(double[]) as INT32",
                r -> {
                    RefArray v = RefArray.integers(r, 100, 2, 3).map(x -> x - 50);
                    return c(
                                    List.of(),
                                    (ops, in, dt) ->
                                            ops.constant(
                                                    v.data.clone(), v.shapeObject(), DType.INT32),
                                    in -> v)
                            .out(DType.INT32);
                });
        def(
                "constant(long[]) as float",
                r -> {
                    RefArray v = RefArray.integers(r, 1000, 3, 2).map(x -> x - 500);
                    return c(
                            List.of(),
                            (ops, in, dt) -> ops.constant(v.longs(), v.shapeObject(), dt),
                            in -> v);
                });
        def(
                "constant(long[]) as INT64",
                r -> {
                    RefArray v = RefArray.integers(r, 1L << 40, 4).map(x -> x - (1L << 39));
                    return c(
                                    List.of(),
                                    (ops, in, dt) ->
                                            ops.constant(v.longs(), v.shapeObject(), DType.INT64),
                                    in -> v)
                            .out(DType.INT64);
                });
        def(
                "full",
                r ->
                        c(
                                List.of(),
                                (ops, in, dt) -> ops.full(Shape.of(2, 3, 2), 1.75, dt),
                                in -> RefArray.full(1.75, 2, 3, 2)));
        def(
                "full INT64",
                r ->
                        c(
                                        List.of(),
                                        (ops, in, dt) -> ops.full(Shape.of(3), 7, DType.INT64),
                                        in -> RefArray.full(7, 3))
                                .out(DType.INT64));
        def(
                "zeros",
                r ->
                        c(
                                List.of(),
                                (ops, in, dt) -> ops.zeros(Shape.of(4, 1), dt),
                                in -> RefArray.full(0, 4, 1)));
        def(
                "ones",
                r ->
                        c(
                                List.of(),
                                (ops, in, dt) -> ops.ones(Shape.of(2, 5), dt),
                                in -> RefArray.full(1, 2, 5)));
        def(
                "scalar",
                r ->
                        c(
                                List.of(),
                                (ops, in, dt) -> ops.scalar(-2.5, dt),
                                in -> RefArray.scalar(-2.5)));
        def(
                "constant plus input",
                r -> {
                    RefArray v = normal(r, 1, 3);
                    return c(
                            List.of(f(normal(r, 1, 2, 3))),
                            (ops, in, dt) ->
                                    ops.add(
                                            in.get(0),
                                            ops.constant(v.data.clone(), v.shapeObject(), dt)),
                            in -> in.get(0).add(v));
                });

        // binary element-wise, with broadcasting
        Gen n = (r, s) -> normal(r, 1.5, s);
        binary("add", Ops::add, RefArray::add, n, n);
        binary("sub", Ops::sub, RefArray::sub, n, n);
        binary("mul", Ops::mul, RefArray::mul, n, n);
        binary(
                "div",
                Ops::div,
                RefArray::div,
                n,
                (r, s) -> {
                    RefArray mag = uniform(r, 0.5, 2, s);
                    RefArray sign = uniform(r, -1, 1, s).map(Math::signum);
                    return mag.mul(sign);
                });
        binary(
                "pow",
                Ops::pow,
                (a, b) -> RefArray.zip(a, b, Math::pow),
                (r, s) -> uniform(r, 0.5, 2, s),
                (r, s) -> uniform(r, -2, 2, s));
        binary("maximum", Ops::maximum, (a, b) -> RefArray.zip(a, b, Math::max), n, n);
        binary("minimum", Ops::minimum, (a, b) -> RefArray.zip(a, b, Math::min), n, n);
        def(
                "add(a, c)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 4))),
                                (ops, in, dt) -> ops.add(in.get(0), 0.75),
                                in -> in.get(0).map(x -> x + 0.75)));
        def(
                "sub(a, c)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 4))),
                                (ops, in, dt) -> ops.sub(in.get(0), -1.25),
                                in -> in.get(0).map(x -> x + 1.25)));
        def(
                "mul(a, c)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 4))),
                                (ops, in, dt) -> ops.mul(in.get(0), 3.5),
                                in -> in.get(0).map(x -> x * 3.5)));
        def(
                "div(a, c)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 4))),
                                (ops, in, dt) -> ops.div(in.get(0), 0.4),
                                in -> in.get(0).map(x -> x / 0.4)));

        // unary element-wise, each inside its domain
        unary("neg", Ops::neg, x -> -x, -3, 3);
        unary("abs", Ops::abs, Math::abs, -3, 3);
        unary("sqrt", Ops::sqrt, Math::sqrt, 0.1, 4);
        unary("rsqrt", Ops::rsqrt, x -> 1 / Math.sqrt(x), 0.1, 4);
        unary("exp", Ops::exp, Math::exp, -3, 3);
        unary("log", Ops::log, Math::log, 0.05, 5);
        unary("square", Ops::square, x -> x * x, -3, 3);
        unary("tanh", Ops::tanh, Math::tanh, -3, 3);
        unary("erf", Ops::erf, RefArray::erf, -3, 3);
        unary("sigmoid", Ops::sigmoid, RefArray::sigmoid, -6, 6);
        unary("gelu", Ops::gelu, RefArray::gelu, -4, 4);
        def(
                "clip",
                r ->
                        c(
                                List.of(f(normal(r, 2, 3, 5))),
                                (ops, in, dt) -> ops.clip(in.get(0), -1, 1.5),
                                in -> in.get(0).clip(-1, 1.5)));

        // comparisons: b shares some values with a, so that ties occur
        String[] cmps = {"greater", "greaterEqual", "less", "lessEqual", "equal"};
        for (String cmp : cmps) {
            def(
                    cmp + " [3,4],[4] with ties",
                    r -> {
                        RefArray a = normal(r, 1, 3, 4);
                        RefArray b = normal(r, 1, 4);
                        b.data[0] = a.data[4];
                        b.data[2] = a.data[6];
                        b.data[3] = a.data[11];
                        return c(
                                        List.of(f(a), f(b)),
                                        (ops, in, dt) -> compare(ops, cmp, in.get(0), in.get(1)),
                                        in ->
                                                RefArray.zip(
                                                        in.get(0),
                                                        in.get(1),
                                                        (x, y) -> compare(cmp, x, y) ? 1 : 0))
                                .out(DType.BOOL)
                                .wrt();
                    });
            def(
                    cmp + " [2,3],[] with ties",
                    r -> {
                        RefArray a = normal(r, 1, 2, 3);
                        RefArray b = RefArray.scalar(a.data[1]);
                        return c(
                                        List.of(f(a), f(b)),
                                        (ops, in, dt) -> compare(ops, cmp, in.get(0), in.get(1)),
                                        in ->
                                                RefArray.zip(
                                                        in.get(0),
                                                        in.get(1),
                                                        (x, y) -> compare(cmp, x, y) ? 1 : 0))
                                .out(DType.BOOL)
                                .wrt();
                    });
        }

        // where
        def(
                "where mask[3,4] a[4] b[3,1]",
                r ->
                        c(
                                        List.of(
                                                f(normal(r, 1, 3, 4)),
                                                f(normal(r, 1, 4)),
                                                f(normal(r, 1, 3, 1))),
                                        (ops, in, dt) ->
                                                ops.where(
                                                        ops.greater(in.get(0), ops.scalar(0, dt)),
                                                        in.get(1),
                                                        in.get(2)),
                                        in ->
                                                RefArray.where(
                                                        in.get(0).map(x -> x > 0 ? 1 : 0),
                                                        in.get(1),
                                                        in.get(2)))
                                .wrt(1, 2));
        def(
                "where BOOL input mask[2,3] a[2,3] b[]",
                r ->
                        c(
                                        List.of(
                                                typed(RefArray.integers(r, 2, 2, 3), DType.BOOL),
                                                f(normal(r, 1, 2, 3)),
                                                f(normal(r, 1))),
                                        (ops, in, dt) -> ops.where(in.get(0), in.get(1), in.get(2)),
                                        in -> RefArray.where(in.get(0), in.get(1), in.get(2)))
                                .wrt(1, 2));

        // cast
        def(
                "cast to FLOAT64",
                r ->
                        c(
                                        List.of(f(normal(r, 2, 3, 4))),
                                        (ops, in, dt) -> ops.cast(in.get(0), DType.FLOAT64),
                                        in -> in.get(0))
                                .out(DType.FLOAT64));
        def(
                "cast to FLOAT32",
                r ->
                        c(
                                        List.of(f(normal(r, 2, 3, 4))),
                                        (ops, in, dt) -> ops.cast(in.get(0), DType.FLOAT32),
                                        in -> in.get(0).cast(DType.FLOAT32))
                                .out(DType.FLOAT32)
                                .wrt());
        def(
                "cast to INT32 truncates",
                r ->
                        c(
                                        List.of(f(uniform(r, -20, 20, 3, 4))),
                                        (ops, in, dt) -> ops.cast(in.get(0), DType.INT32),
                                        in -> in.get(0).cast(DType.INT32))
                                .out(DType.INT32)
                                .wrt());
        def(
                "cast to INT64 truncates",
                r ->
                        c(
                                        List.of(f(uniform(r, -20, 20, 3, 4))),
                                        (ops, in, dt) -> ops.cast(in.get(0), DType.INT64),
                                        in -> in.get(0).cast(DType.INT64))
                                .out(DType.INT64)
                                .wrt());
        def(
                "cast to BOOL",
                r ->
                        c(
                                        List.of(
                                                f(
                                                        RefArray.integers(r, 5, 3, 4)
                                                                .map(x -> (x - 2) * 0.5))),
                                        (ops, in, dt) -> ops.cast(in.get(0), DType.BOOL),
                                        in -> in.get(0).cast(DType.BOOL))
                                .out(DType.BOOL)
                                .wrt());
        def(
                "cast BOOL to float",
                r ->
                        c(
                                        List.of(f(normal(r, 1, 3, 4))),
                                        (ops, in, dt) ->
                                                ops.cast(
                                                        ops.greater(in.get(0), ops.scalar(0.2, dt)),
                                                        dt),
                                        in -> in.get(0).map(x -> x > 0.2 ? 1 : 0))
                                .wrt());
        def(
                "cast INT64 to float",
                r ->
                        c(
                                List.of(
                                        typed(
                                                RefArray.integers(r, 1000, 3, 4).map(x -> x - 500),
                                                DType.INT64)),
                                (ops, in, dt) -> ops.cast(in.get(0), dt),
                                in -> in.get(0)));
        def(
                "cast INT32 to float",
                r ->
                        c(
                                List.of(
                                        typed(
                                                RefArray.integers(r, 1000, 5).map(x -> x - 500),
                                                DType.INT32)),
                                (ops, in, dt) -> ops.cast(in.get(0), dt),
                                in -> in.get(0)));

        // reductions
        Object[][] reductions = {
            {new int[0], false},
            {new int[0], true},
            {new int[] {0}, false},
            {new int[] {1}, true},
            {new int[] {-1}, false},
            {new int[] {0, 2}, false},
            {new int[] {-2, -1}, true},
        };
        for (String op : new String[] {"sum", "mean", "max"}) {
            for (Object[] red : reductions) {
                reduction(op, (int[]) red[0], (Boolean) red[1]);
            }
        }
        def(
                "sum(x)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 5))),
                                (ops, in, dt) -> ops.sum(in.get(0)),
                                in -> RefArray.scalar(in.get(0).sumAll())));
        def(
                "mean(x)",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 5))),
                                (ops, in, dt) -> ops.mean(in.get(0)),
                                in -> RefArray.scalar(in.get(0).sumAll() / 15)));

        // matmul
        long[][][] mm = {
            {{3, 4}, {4, 5}},
            {{2, 3, 4}, {2, 4, 5}},
            {{2, 1, 3, 4}, {3, 4, 2}},
            {{2, 3, 4}, {4, 5}},
            {{1, 4}, {2, 4, 3}},
        };
        for (long[][] s : mm) {
            def(
                    "matmul " + dims(s[0]) + "x" + dims(s[1]),
                    r ->
                            c(
                                    List.of(f(normal(r, 1, s[0])), f(normal(r, 1, s[1]))),
                                    (ops, in, dt) -> ops.matmul(in.get(0), in.get(1)),
                                    in -> RefArray.matmul(in.get(0), in.get(1))));
        }

        // transpose, reshape
        Object[][] perms = {
            {new long[] {3, 4}, new int[] {1, 0}},
            {new long[] {2, 3, 4}, new int[] {2, 0, 1}},
            {new long[] {2, 3, 4}, new int[] {1, 0, 2}},
            {new long[] {2, 3, 4, 2}, new int[] {3, 1, 0, 2}}
        };
        for (Object[] p : perms) {
            long[] s = (long[]) p[0];
            int[] perm = (int[]) p[1];
            def(
                    "transpose " + dims(s) + " perm=" + Arrays.toString(perm).replace(" ", ""),
                    r ->
                            c(
                                    List.of(f(normal(r, 1, s))),
                                    (ops, in, dt) -> ops.transpose(in.get(0), perm),
                                    in -> in.get(0).transpose(perm)));
        }
        long[][] reshapes = {{4, -1}, {-1}, {2, -1, 2}, {3, 8}, {1, 24, 1}};
        for (long[] d : reshapes) {
            def(
                    "reshape [2,3,4] to " + dims(d),
                    r ->
                            c(
                                    List.of(f(normal(r, 1, 2, 3, 4))),
                                    (ops, in, dt) -> ops.reshape(in.get(0), d),
                                    in -> in.get(0).reshape(d)));
        }

        // concat
        Object[][] concats = {
            {0, new long[][] {{2, 3}, {1, 3}, {3, 3}}},
            {1, new long[][] {{2, 1}, {2, 3}, {2, 2}}},
            {-1, new long[][] {{2, 3, 1}, {2, 3, 2}}},
            {1, new long[][] {{2, 2, 3}, {2, 1, 3}}},
        };
        for (Object[] cc : concats) {
            int axis = (Integer) cc[0];
            long[][] shapes = (long[][]) cc[1];
            StringBuilder nm = new StringBuilder("concat axis=" + axis);
            for (long[] s : shapes) {
                nm.append(' ').append(dims(s));
            }
            def(
                    nm.toString(),
                    r -> {
                        List<Arg> args = new ArrayList<>();
                        for (long[] s : shapes) {
                            args.add(f(normal(r, 1, s)));
                        }
                        return c(
                                args,
                                (ops, in, dt) -> ops.concat(in, axis),
                                in -> RefArray.concat(in, axis));
                    });
        }

        // slice
        def(
                "slice [3,4,5] begin=[1,0,2] size=[2,-1,2]",
                r ->
                        c(
                                List.of(f(normal(r, 1, 3, 4, 5))),
                                (ops, in, dt) ->
                                        ops.slice(
                                                in.get(0),
                                                new long[] {1, 0, 2},
                                                new long[] {2, -1, 2}),
                                in ->
                                        in.get(0)
                                                .slice(
                                                        new long[] {1, 0, 2},
                                                        new long[] {2, -1, 2})));
        def(
                "slice [4,6] begin=[0,1] size=[-1,3]",
                r ->
                        c(
                                List.of(f(normal(r, 1, 4, 6))),
                                (ops, in, dt) ->
                                        ops.slice(in.get(0), new long[] {0, 1}, new long[] {-1, 3}),
                                in -> in.get(0).slice(new long[] {0, 1}, new long[] {-1, 3})));
        def(
                "slice [5] begin=[3] size=[-1]",
                r ->
                        c(
                                List.of(f(normal(r, 1, 5))),
                                (ops, in, dt) ->
                                        ops.slice(in.get(0), new long[] {3}, new long[] {-1}),
                                in -> in.get(0).slice(new long[] {3}, new long[] {-1})));

        // gather (indices repeat, so that gradients accumulate)
        def(
                "gather axis=0 params[5,3] indices INT64[2,3]",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 5, 3)),
                                        typed(
                                                idx(new double[] {4, 0, 4, 1, 2, 4}, 2, 3),
                                                DType.INT64)),
                                (ops, in, dt) -> ops.gather(in.get(0), in.get(1), 0),
                                in -> in.get(0).gather(in.get(1), 0)));
        def(
                "gather axis=0 params[6,4] indices INT32[5]",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 6, 4)),
                                        typed(idx(new double[] {5, 2, 2, 0, 3}, 5), DType.INT32)),
                                (ops, in, dt) -> ops.gather(in.get(0), in.get(1), 0),
                                in -> in.get(0).gather(in.get(1), 0)));
        def(
                "gather axis=1 params[3,5] indices INT32[4]",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 3, 5)),
                                        typed(idx(new double[] {1, 4, 1, 0}, 4), DType.INT32)),
                                (ops, in, dt) -> ops.gather(in.get(0), in.get(1), 1),
                                in -> in.get(0).gather(in.get(1), 1)));
        def(
                "gather axis=1 params[2,5,3] indices INT64[2,2]",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 2, 5, 3)),
                                        typed(idx(new double[] {3, 0, 3, 4}, 2, 2), DType.INT64)),
                                (ops, in, dt) -> ops.gather(in.get(0), in.get(1), 1),
                                in -> in.get(0).gather(in.get(1), 1)));
        def(
                "gather axis=-1 params[2,4] indices INT64[3]",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 2, 4)),
                                        typed(idx(new double[] {3, 3, 1}, 3), DType.INT64)),
                                (ops, in, dt) -> ops.gather(in.get(0), in.get(1), -1),
                                in -> in.get(0).gather(in.get(1), -1)));

        // oneHot
        def(
                "oneHot INT64[2,3] depth=5",
                r ->
                        c(
                                List.of(typed(RefArray.integers(r, 5, 2, 3), DType.INT64)),
                                (ops, in, dt) -> ops.oneHot(in.get(0), 5, dt),
                                in -> in.get(0).oneHot(5)));
        def(
                "oneHot INT32[4] depth=3",
                r ->
                        c(
                                List.of(typed(idx(new double[] {2, 0, 1, 2}, 4), DType.INT32)),
                                (ops, in, dt) -> ops.oneHot(in.get(0), 3, dt),
                                in -> in.get(0).oneHot(3)));

        // softmax, logSoftmax
        Object[][] sm = {
            {new long[] {3, 4}, -1},
            {new long[] {3, 4}, 0},
            {new long[] {2, 3, 4}, 1},
            {new long[] {5}, 0}
        };
        for (Object[] s : sm) {
            long[] shape = (long[]) s[0];
            int axis = (Integer) s[1];
            def(
                    "softmax " + dims(shape) + " axis=" + axis,
                    r ->
                            c(
                                    List.of(f(normal(r, 2, shape))),
                                    (ops, in, dt) -> ops.softmax(in.get(0), axis),
                                    in -> in.get(0).softmax(axis)));
            def(
                    "logSoftmax " + dims(shape) + " axis=" + axis,
                    r ->
                            c(
                                    List.of(f(normal(r, 2, shape))),
                                    (ops, in, dt) -> ops.logSoftmax(in.get(0), axis),
                                    in -> in.get(0).logSoftmax(axis)));
        }

        // layerNorm
        def(
                "layerNorm [3,5] eps=1e-5",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 2, 3, 5).map(x -> x + 0.5)),
                                        f(normal(r, 1, 5)),
                                        f(normal(r, 1, 5))),
                                (ops, in, dt) ->
                                        ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5),
                                in -> in.get(0).layerNorm(in.get(1), in.get(2), 1e-5)));
        def(
                "layerNorm [2,3,4] eps=1e-3",
                r ->
                        c(
                                List.of(
                                        f(normal(r, 1, 2, 3, 4)),
                                        f(normal(r, 1, 4)),
                                        f(normal(r, 1, 4))),
                                (ops, in, dt) ->
                                        ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-3),
                                in -> in.get(0).layerNorm(in.get(1), in.get(2), 1e-3)));
    }

    // ------------------------------------------------------------------ refusals

    /** A call that breaks one of the rules of {@link Ops}. */
    @FunctionalInterface
    public interface Call {
        Tensor apply(Ops ops, List<Tensor> in);
    }

    /**
     * A call every backend must refuse with an {@link IllegalArgumentException}, with one message
     * on all of them. {@code fragments} are what the message must name (the operation first, then
     * the offending values): the exact wording is {@link io.rankwise.api.OpChecks}'s, tested there.
     */
    public record Refusal(String name, List<Exec.In> inputs, Call call, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Refusal> REFUSALS = new LinkedHashMap<>();

    /** Every refusal name, in table order. */
    public static List<String> refusalNames() {
        return new ArrayList<>(REFUSALS.keySet());
    }

    /** The refusal of that name. */
    public static Refusal refusal(String name) {
        Refusal r = REFUSALS.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no refusal case " + name);
        }
        return r;
    }

    private static void refuse(String name, List<Exec.In> inputs, Call call, String... fragments) {
        if (REFUSALS.putIfAbsent(name, new Refusal(name, inputs, call, List.of(fragments)))
                != null) {
            throw new IllegalStateException("duplicate refusal " + name);
        }
    }

    /** A host input of {@code dtype} filled with small distinct values (they never matter here). */
    private static Exec.In input(DType dtype, long... shape) {
        double[] v = new double[RefArray.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype == DType.BOOL ? i % 2 : i % 3;
        }
        return new Exec.In(RefArray.of(v, shape), dtype);
    }

    static {
        DType f32 = DType.FLOAT32;
        DType f64 = DType.FLOAT64;

        // Mixed dtypes: no implicit promotion on any backend (PyTorch would compute in float64).
        refuse(
                "add FLOAT32 + FLOAT64",
                List.of(input(f32, 2, 3), input(f64, 3)),
                (ops, x) -> ops.add(x.get(0), x.get(1)),
                "add: ",
                "FLOAT32 [2, 3]",
                "FLOAT64 [3]");
        refuse(
                "mul FLOAT64 * FLOAT32 scalar",
                List.of(input(f64, 2), input(f32)),
                (ops, x) -> ops.mul(x.get(0), x.get(1)),
                "mul: ",
                "FLOAT64 [2]",
                "FLOAT32 []");
        refuse(
                "div FLOAT32 / FLOAT64",
                List.of(input(f32, 2), input(f64, 2)),
                (ops, x) -> ops.div(x.get(0), x.get(1)),
                "div: ",
                "FLOAT32 [2]",
                "FLOAT64 [2]");
        refuse(
                "maximum FLOAT64, FLOAT32",
                List.of(input(f64, 2), input(f32, 2)),
                (ops, x) -> ops.maximum(x.get(0), x.get(1)),
                "maximum: ",
                "FLOAT64 [2]",
                "FLOAT32 [2]");
        refuse(
                "less FLOAT32 < FLOAT64",
                List.of(input(f32, 2), input(f64, 2)),
                (ops, x) -> ops.less(x.get(0), x.get(1)),
                "less: ",
                "FLOAT32 [2]",
                "FLOAT64 [2]");
        refuse(
                "matmul FLOAT32 x FLOAT64",
                List.of(input(f32, 3, 4), input(f64, 4, 5)),
                (ops, x) -> ops.matmul(x.get(0), x.get(1)),
                "matmul: ",
                "FLOAT32 [3, 4]",
                "FLOAT64 [4, 5]");
        refuse(
                "where FLOAT64 : FLOAT32",
                List.of(input(DType.BOOL, 2), input(f64, 2), input(f32, 2)),
                (ops, x) -> ops.where(x.get(0), x.get(1), x.get(2)),
                "where: ",
                "FLOAT64 [2]",
                "FLOAT32 [2]");
        refuse(
                "concat FLOAT32, FLOAT64",
                List.of(input(f32, 2, 3), input(f64, 1, 3)),
                (ops, x) -> ops.concat(x, 0),
                "concat: ",
                "FLOAT32 [2, 3]",
                "FLOAT64 [1, 3]");
        refuse(
                "add INT32 + INT64",
                List.of(input(DType.INT32, 2), input(DType.INT64, 2)),
                (ops, x) -> ops.add(x.get(0), x.get(1)),
                "add: ",
                "INT32 [2]",
                "INT64 [2]");

        // Broadcasting.
        refuse(
                "add [2,3] + [4]",
                List.of(input(f32, 2, 3), input(f32, 4)),
                (ops, x) -> ops.add(x.get(0), x.get(1)),
                "add: ",
                "[2, 3]",
                "[4]");

        // reshape: -1 inference and size.
        refuse(
                "reshape [2,3,4] to [5,-1]",
                List.of(input(f32, 2, 3, 4)),
                (ops, x) -> ops.reshape(x.get(0), 5, -1),
                "reshape: ",
                "[5, -1]",
                "[2, 3, 4]");
        refuse(
                "reshape [2,3,4] to [-1,2,-1]",
                List.of(input(f32, 2, 3, 4)),
                (ops, x) -> ops.reshape(x.get(0), -1, 2, -1),
                "reshape: ",
                "[-1, 2, -1]");
        refuse(
                "reshape [2,3,4] to [4,5]",
                List.of(input(f32, 2, 3, 4)),
                (ops, x) -> ops.reshape(x.get(0), 4, 5),
                "reshape: ",
                "[4, 5]",
                "24");

        // slice bounds.
        refuse(
                "slice [3,4] begin=[0,2] size=[1,3]",
                List.of(input(f32, 3, 4)),
                (ops, x) -> ops.slice(x.get(0), new long[] {0, 2}, new long[] {1, 3}),
                "slice: ",
                "begin 2",
                "size 3",
                "axis 1");
        refuse(
                "slice [3,4] begin=[4,0] size=[-1,1]",
                List.of(input(f32, 3, 4)),
                (ops, x) -> ops.slice(x.get(0), new long[] {4, 0}, new long[] {-1, 1}),
                "slice: ",
                "begin 4",
                "axis 0");
        refuse(
                "slice [3,4] with one begin",
                List.of(input(f32, 3, 4)),
                (ops, x) -> ops.slice(x.get(0), new long[] {0}, new long[] {1}),
                "slice: ",
                "[0]",
                "[3, 4]");

        // matmul ranks and dimensions.
        refuse(
                "matmul [4] x [4,5]",
                List.of(input(f32, 4), input(f32, 4, 5)),
                (ops, x) -> ops.matmul(x.get(0), x.get(1)),
                "matmul: ",
                "[4]",
                "rank 1");
        refuse(
                "matmul [3,4] x [5,2]",
                List.of(input(f32, 3, 4), input(f32, 5, 2)),
                (ops, x) -> ops.matmul(x.get(0), x.get(1)),
                "matmul: ",
                "[3, 4]",
                "[5, 2]");
        refuse(
                "matmul [2,3,4] x [3,4,5]",
                List.of(input(f32, 2, 3, 4), input(f32, 3, 4, 5)),
                (ops, x) -> ops.matmul(x.get(0), x.get(1)),
                "matmul: ",
                "[2, 3, 4]",
                "[3, 4, 5]");

        // random draws: the seed, and floating dtypes only.
        refuse(
                "randomNormal seed INT64 [3]",
                List.of(input(DType.INT64, 3)),
                (ops, x) -> ops.randomNormal(Shape.of(2), f32, x.get(0), 0, 1),
                "randomNormal: ",
                "seed",
                "INT64 [3]");
        refuse(
                "randomUniform seed INT32 [2]",
                List.of(input(DType.INT32, 2)),
                (ops, x) -> ops.randomUniform(Shape.of(2), f32, x.get(0), 0, 1),
                "randomUniform: ",
                "seed",
                "INT32 [2]");
        refuse(
                "randomUniform INT32 draws",
                List.of(input(DType.INT64, 2)),
                (ops, x) -> ops.randomUniform(Shape.of(2), DType.INT32, x.get(0), 0, 10),
                "randomUniform: ",
                "INT32");
        refuse(
                "randomNormal BOOL draws",
                List.of(input(DType.INT64, 2)),
                (ops, x) -> ops.randomNormal(Shape.of(2), DType.BOOL, x.get(0), 0, 1),
                "randomNormal: ",
                "BOOL");

        // indices must be integers.
        refuse(
                "gather FLOAT32 indices",
                List.of(input(f32, 5, 3), input(f32, 2)),
                (ops, x) -> ops.gather(x.get(0), x.get(1), 0),
                "gather: ",
                "indices",
                "FLOAT32 [2]");
        refuse(
                "oneHot FLOAT64 indices",
                List.of(input(f64, 4)),
                (ops, x) -> ops.oneHot(x.get(0), 3, f32),
                "oneHot: ",
                "indices",
                "FLOAT64 [4]");
        refuse(
                "oneHot depth -1",
                List.of(input(DType.INT64, 4)),
                (ops, x) -> ops.oneHot(x.get(0), -1, f32),
                "oneHot: ",
                "depth",
                "-1");
        refuse(
                "gather axis 2 of [5,3]",
                List.of(input(f32, 5, 3), input(DType.INT64, 2)),
                (ops, x) -> ops.gather(x.get(0), x.get(1), 2),
                "gather: ",
                "axis 2",
                "[5, 3]");

        // concat of nothing, and of parts that do not fit.
        refuse(
                "concat of no tensors",
                List.of(),
                (ops, x) -> ops.concat(List.of(), 0),
                "concat: ",
                "empty");
        refuse(
                "concat [2,3] and [2,4] on axis 0",
                List.of(input(f32, 2, 3), input(f32, 2, 4)),
                (ops, x) -> ops.concat(x, 0),
                "concat: ",
                "[2, 3]",
                "[2, 4]");

        // where's mask.
        refuse(
                "where FLOAT32 mask",
                List.of(input(f32, 3), input(f32, 3), input(f32, 3)),
                (ops, x) -> ops.where(x.get(0), x.get(1), x.get(2)),
                "where: ",
                "mask",
                "FLOAT32 [3]");
        refuse(
                "where INT64 mask",
                List.of(input(DType.INT64, 3), input(f64, 3), input(f64, 3)),
                (ops, x) -> ops.where(x.get(0), x.get(1), x.get(2)),
                "where: ",
                "mask",
                "INT64 [3]");
        refuse(
                "where mask [2] with sides [3]",
                List.of(input(DType.BOOL, 2), input(f32, 3), input(f32, 3)),
                (ops, x) -> ops.where(x.get(0), x.get(1), x.get(2)),
                "where: ",
                "[2]",
                "[3]");

        // axes and permutations.
        refuse(
                "sum axes [0,-2] of [2,3]",
                List.of(input(f32, 2, 3)),
                (ops, x) -> ops.sum(x.get(0), new int[] {0, -2}, false),
                "sum: ",
                "[0, -2]",
                "twice");
        refuse(
                "mean axis 2 of [2,3]",
                List.of(input(f32, 2, 3)),
                (ops, x) -> ops.mean(x.get(0), new int[] {2}, false),
                "mean: ",
                "[2]",
                "[2, 3]");
        refuse(
                "softmax axis -3 of [2,3]",
                List.of(input(f32, 2, 3)),
                (ops, x) -> ops.softmax(x.get(0), -3),
                "softmax: ",
                "axis -3",
                "[2, 3]");
        refuse(
                "transpose [2,3] perm [0,0]",
                List.of(input(f32, 2, 3)),
                (ops, x) -> ops.transpose(x.get(0), 0, 0),
                "transpose: ",
                "[0, 0]",
                "[2, 3]");
        refuse(
                "transpose [2,3] perm [1,0,2]",
                List.of(input(f32, 2, 3)),
                (ops, x) -> ops.transpose(x.get(0), 1, 0, 2),
                "transpose: ",
                "[1, 0, 2]",
                "[2, 3]");

        // constants.
        refuse(
                "constant of 5 values for [2,3]",
                List.of(),
                (ops, x) -> ops.constant(new double[5], Shape.of(2, 3), f32),
                "constant: ",
                "5 values",
                "[2, 3]");

        // differentiation.
        refuse(
                "valueAndGradients of a [3] result",
                List.of(input(f32, 3)),
                (ops, x) -> ops.valueAndGradients(p -> ops.mul(p.get(0), 2.0), x).value(),
                "valueAndGradients: ",
                "FLOAT32 [3]");
        refuse(
                "valueAndGradients with respect to INT64",
                List.of(input(f32, 3), input(DType.INT64, 3)),
                (ops, x) -> ops.valueAndGradients(p -> ops.sum(p.get(0)), x).value(),
                "valueAndGradients: ",
                "at[1]",
                "INT64 [3]");
    }

    public static Tensor compare(Ops ops, String cmp, Tensor a, Tensor b) {
        switch (cmp) {
            case "greater":
                return ops.greater(a, b);
            case "greaterEqual":
                return ops.greaterEqual(a, b);
            case "less":
                return ops.less(a, b);
            case "lessEqual":
                return ops.lessEqual(a, b);
            default:
                return ops.equal(a, b);
        }
    }

    public static boolean compare(String cmp, double a, double b) {
        switch (cmp) {
            case "greater":
                return a > b;
            case "greaterEqual":
                return a >= b;
            case "less":
                return a < b;
            case "lessEqual":
                return a <= b;
            default:
                return a == b;
        }
    }
}
