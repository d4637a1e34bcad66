package io.rankwise.backend.tensorflow;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.OpChecks;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Output;

/**
 * Rankwise's operations as graph construction: each call adds nodes to the backend's graph and
 * returns a {@link SymbolicTensor}. Arguments are checked by {@link OpChecks} before a node is
 * built, so that a bad call fails as it does on every other backend (not with TensorFlow's own
 * shape inference message). Element-wise ops broadcast as TensorFlow's do (NumPy rules); shape
 * arguments (axes, permutations, begins, sizes) become constants so that shape inference keeps
 * every shape static. One instance serves one {@link Trace}.
 */
final class TfOps implements Ops {
    private final TfBackend backend;
    private final Trace trace;
    private final TfGraph g;

    TfOps(TfBackend backend, Trace trace) {
        this.backend = backend;
        this.trace = trace;
        this.g = trace.graph();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    // ---------------------------------------------------------------- creation

    @Override
    public Tensor constant(double[] values, Shape shape, DType dtype) {
        OpChecks.values("constant", values.length, shape);
        return wrap(g.constant(values, shape, dtype));
    }

    @Override
    public Tensor constant(long[] values, Shape shape, DType dtype) {
        OpChecks.values("constant", values.length, shape);
        return wrap(g.constant(values, shape, dtype));
    }

    @Override
    public Tensor full(Shape shape, double value, DType dtype) {
        Output<?> scalar = g.constant(new double[] {value}, Shape.scalar(), dtype);
        if (shape.rank() == 0) {
            return wrap(scalar);
        }
        // Fill, not a Const of the full size: the graph stays small for large shapes.
        return wrap(g.op("Fill").input(g.int64s(shape.dims())).input(scalar).output());
    }

    @Override
    public Tensor randomNormal(Shape shape, DType dtype, Tensor seed, double mean, double std) {
        OpChecks.random("randomNormal", dtype, seed);
        return affine(standardNormal(shape, dtype, seed), dtype, std, mean);
    }

    /** Elements per 64 bytes of float32: slices starting on such a boundary are views. */
    private static final long ALIGN = 16;

    /**
     * Standard normal draws by the Box–Muller transform of Philox uniforms: for independent U₁, U₂
     * ~ U[0, 1), R = √(−2 ln(1 − U₁)) and Θ = 2πU₂ make R cos Θ and R sin Θ two independent N(0, 1)
     * draws. This is the transform TensorFlow's own StatelessRandomNormal applies, but there it
     * runs as scalar code per pair, which costs about twice the uniforms themselves on a CPU; here
     * it is five vectorised element-wise kernels (log, sqrt, cos, sin, products). With u the
     * uniforms as a [2, k] matrix (k = n/2 rounded up to a multiple of {@link #ALIGN}, so that the
     * row slices are views), row 0 gives the radii and row 1 the angles; the first k draws are the
     * cosines and the next k the sines. A pure function of the seed's two values, as the API asks.
     */
    private Output<?> standardNormal(Shape shape, DType dtype, Tensor seed) {
        long n = shape.size();
        long half = ((n + 1) / 2 + ALIGN - 1) / ALIGN * ALIGN;
        Output<?> u = stateless("StatelessRandomUniform", Shape.of(2, half), dtype, seed);
        Output<?> u1 = row(u, 0, half);
        Output<?> u2 = row(u, 1, half);
        // 1 − U₁ is in (0, 1], so its logarithm is finite.
        Output<?> radius =
                g.op("Sqrt")
                        .input(
                                g.op("Mul")
                                        .input(
                                                g.op("Log")
                                                        .input(
                                                                g.op("Sub")
                                                                        .input(
                                                                                constantScalar(
                                                                                        1, dtype))
                                                                        .input(u1)
                                                                        .output())
                                                        .output())
                                        .input(constantScalar(-2, dtype))
                                        .output())
                        .output();
        Output<?> angle = g.op("Mul").input(u2).input(constantScalar(2 * Math.PI, dtype)).output();
        Output<?> trig =
                g.op("ConcatV2")
                        .inputList(
                                new Output<?>[] {
                                    g.op("Cos").input(angle).output(),
                                    g.op("Sin").input(angle).output()
                                })
                        .input(g.int32(0))
                        .output();
        Output<?> z = g.op("Mul").input(trig).input(radius).output();
        Output<?> flat = g.op("Reshape").input(z).input(g.int64s(2 * half)).output();
        if (2 * half != n) {
            flat = g.op("Slice").input(flat).input(g.int64s(0)).input(g.int64s(n)).output();
        }
        return g.op("Reshape").input(flat).input(g.int64s(shape.dims())).output();
    }

    /** Row {@code r} of a [2, k] matrix, as a [1, k] matrix. */
    private Output<?> row(Output<?> matrix, long r, long k) {
        return g.op("Slice").input(matrix).input(g.int64s(r, 0)).input(g.int64s(1, k)).output();
    }

    private Output<?> constantScalar(double value, DType dtype) {
        return g.constant(new double[] {value}, Shape.scalar(), dtype);
    }

    @Override
    public Tensor randomUniform(Shape shape, DType dtype, Tensor seed, double low, double high) {
        OpChecks.random("randomUniform", dtype, seed);
        Output<?> u = stateless("StatelessRandomUniform", shape, dtype, seed);
        return affine(u, dtype, high - low, low);
    }

    /**
     * A stateless draw: a pure function of the seed's two values, as the API asks (checked by the
     * caller).
     */
    private Output<?> stateless(String type, Shape shape, DType dtype, Tensor seed) {
        return g.op(type)
                .input(g.int64s(shape.dims()))
                .input(in(seed))
                .attr("dtype", DTypes.toTf(dtype))
                .output();
    }

    /** scale · x + shift, skipping the identity parts. */
    private Tensor affine(Output<?> x, DType dtype, double scale, double shift) {
        Output<?> y = x;
        if (scale != 1) {
            y =
                    g.op("Mul")
                            .input(y)
                            .input(g.constant(new double[] {scale}, Shape.scalar(), dtype))
                            .output();
        }
        if (shift != 0) {
            y =
                    g.op("AddV2")
                            .input(y)
                            .input(g.constant(new double[] {shift}, Shape.scalar(), dtype))
                            .output();
        }
        return wrap(y);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("add", "AddV2", a, b);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("sub", "Sub", a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("mul", "Mul", a, b);
    }

    /** RealDiv for floating types; Div (truncating) for integers, which RealDiv does not take. */
    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary("div", a.dtype().isFloating() ? "RealDiv" : "Div", a, b);
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        return binary("pow", "Pow", a, b);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("maximum", "Maximum", a, b);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("minimum", "Minimum", a, b);
    }

    @Override
    public Tensor neg(Tensor x) {
        return unary("Neg", x);
    }

    @Override
    public Tensor abs(Tensor x) {
        return unary("Abs", x);
    }

    @Override
    public Tensor sqrt(Tensor x) {
        return unary("Sqrt", x);
    }

    @Override
    public Tensor rsqrt(Tensor x) {
        return unary("Rsqrt", x);
    }

    @Override
    public Tensor exp(Tensor x) {
        return unary("Exp", x);
    }

    @Override
    public Tensor log(Tensor x) {
        return unary("Log", x);
    }

    @Override
    public Tensor square(Tensor x) {
        return unary("Square", x);
    }

    @Override
    public Tensor tanh(Tensor x) {
        return unary("Tanh", x);
    }

    @Override
    public Tensor erf(Tensor x) {
        return unary("Erf", x);
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return unary("Sigmoid", x);
    }

    @Override
    public Tensor greater(Tensor a, Tensor b) {
        return binary("greater", "Greater", a, b);
    }

    @Override
    public Tensor greaterEqual(Tensor a, Tensor b) {
        return binary("greaterEqual", "GreaterEqual", a, b);
    }

    @Override
    public Tensor less(Tensor a, Tensor b) {
        return binary("less", "Less", a, b);
    }

    @Override
    public Tensor lessEqual(Tensor a, Tensor b) {
        return binary("lessEqual", "LessEqual", a, b);
    }

    @Override
    public Tensor equal(Tensor a, Tensor b) {
        return binary("equal", "Equal", a, b);
    }

    /** SelectV2: broadcasts the mask and both sides; its gradient routes to the chosen side. */
    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        OpChecks.where(mask, a, b);
        return wrap(g.op("SelectV2").input(in(mask)).input(in(a)).input(in(b)).output());
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        return wrap(g.op("Cast").input(in(x)).attr("DstT", DTypes.toTf(dtype)).output());
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce("sum", "Sum", x, axes, keepDims);
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        return reduce("mean", "Mean", x, axes, keepDims);
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce("max", "Max", x, axes, keepDims);
    }

    private Tensor reduce(String op, String type, Tensor x, int[] axes, boolean keepDims) {
        int[] normalized = OpChecks.reductionAxes(op, x.shape(), axes);
        return wrap(
                g.op(type)
                        .input(in(x))
                        .input(g.int32s(normalized))
                        .attr("keep_dims", keepDims)
                        .output());
    }

    private static int[] allAxes(int rank) {
        int[] all = new int[rank];
        Arrays.setAll(all, i -> i);
        return all;
    }

    // ---------------------------------------------------------------- shapes and linear algebra

    /**
     * MatMul for two matrices (its gradient is two MatMuls); BatchMatMulV2 (broadcasting)
     * otherwise.
     */
    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        OpChecks.matmul(a, b);
        boolean plain = a.shape().rank() == 2 && b.shape().rank() == 2;
        return node(plain ? "MatMul" : "BatchMatMulV2", a, b);
    }

    @Override
    public Tensor transpose(Tensor x, int... perm) {
        int[] p = OpChecks.transpose(x.shape(), perm);
        return wrap(g.op("Transpose").input(in(x)).input(g.int32s(p)).output());
    }

    @Override
    public Tensor reshape(Tensor x, long... dims) {
        long[] resolved = OpChecks.reshape(x.shape(), dims);
        return wrap(g.op("Reshape").input(in(x)).input(g.int64s(resolved)).output());
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        int a = OpChecks.concat(parts, axis);
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Output<?>[] values = new Output<?>[parts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in(parts.get(i));
        }
        return wrap(g.op("ConcatV2").inputList(values).input(g.int32(a)).output());
    }

    @Override
    public Tensor slice(Tensor x, long[] begin, long[] size) {
        long[] sizes = OpChecks.slice(x.shape(), begin, size);
        // INT32 begins and sizes: TensorFlow's C++ gradient of Slice mixes them with INT32 shapes.
        return wrap(
                g.op("Slice")
                        .input(in(x))
                        .input(g.int32s(toInts(begin)))
                        .input(g.int32s(toInts(sizes)))
                        .output());
    }

    /** GatherV2 with batch_dims 0. */
    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        int a = OpChecks.gather(params, indices, axis);
        return wrap(
                g.op("GatherV2").input(in(params)).input(in(indices)).input(g.int32(a)).output());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, DType dtype) {
        OpChecks.oneHot(indices, depth);
        Output<?> on = g.constant(new double[] {1}, Shape.scalar(), dtype);
        Output<?> off = g.constant(new double[] {0}, Shape.scalar(), dtype);
        return wrap(
                g.op("OneHot")
                        .input(in(indices))
                        .input(g.int32(depth))
                        .input(on)
                        .input(off)
                        .output());
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return alongLastAxis("softmax", "Softmax", x, axis);
    }

    /**
     * LogSoftmax over a matrix: TensorFlow's C++ gradient of LogSoftmax sums over axis 1, which is
     * right for rank 2 only, so other ranks are reshaped to [rows, last] around it.
     */
    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return alongLastAxis("logSoftmax", "LogSoftmax", x, axis);
    }

    /**
     * TensorFlow's Softmax and LogSoftmax work on the last axis: another axis is swapped to the end
     * and back (the swap is its own inverse).
     */
    private Tensor alongLastAxis(String op, String type, Tensor x, int axis) {
        int rank = x.shape().rank();
        int a = OpChecks.axis(op, x.shape(), axis);
        if (a == rank - 1) {
            return wrap(lastAxis(type, in(x), x.shape()));
        }
        int[] swap = allAxes(rank);
        swap[a] = rank - 1;
        swap[rank - 1] = a;
        Output<?> perm = g.int32s(swap);
        Output<?> moved = g.op("Transpose").input(in(x)).input(perm).output();
        long[] movedDims = x.shape().dims();
        movedDims[a] = x.shape().dim(-1);
        movedDims[rank - 1] = x.shape().dim(a);
        Output<?> y = lastAxis(type, moved, Shape.of(movedDims));
        return wrap(g.op("Transpose").input(y).input(perm).output());
    }

    private Output<?> lastAxis(String type, Output<?> x, Shape shape) {
        if (type.equals("Softmax") || shape.rank() == 2) {
            return g.op(type).input(x).output();
        }
        Output<?> matrix = g.op("Reshape").input(x).input(g.int64s(-1, shape.dim(-1))).output();
        Output<?> y = g.op(type).input(matrix).output();
        return g.op("Reshape").input(y).input(g.int64s(shape.dims())).output();
    }

    // ---------------------------------------------------------------- state

    @Override
    public Tensor read(Variable variable) {
        return trace.read(variable);
    }

    @Override
    public void assign(Variable variable, Tensor value) {
        OpChecks.assign(variable, value);
        trace.assign(variable, value);
    }

    // ---------------------------------------------------------------- differentiation

    @Override
    public ValueAndGradients valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> at) {
        return Gradients.valueAndGradients(trace, f, at);
    }

    // ---------------------------------------------------------------- helpers

    private Output<?> in(Tensor t) {
        return trace.output(t);
    }

    private Tensor wrap(Output<?> o) {
        return trace.wrap(o);
    }

    private Tensor unary(String type, Tensor x) {
        return wrap(g.op(type).input(in(x)).output());
    }

    /** An element-wise operation {@code op} of the API, built as TensorFlow's {@code type}. */
    private Tensor binary(String op, String type, Tensor a, Tensor b) {
        OpChecks.elementwise(op, a, b);
        return node(type, a, b);
    }

    /** A node of an already checked operation of two tensors. */
    private Tensor node(String type, Tensor a, Tensor b) {
        return wrap(g.op(type).input(in(a)).input(in(b)).output());
    }

    private static int[] toInts(long[] values) {
        return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }
}
