package io.rankwise.backend.tensorflow;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
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
 * returns a {@link SymbolicTensor}. Element-wise ops broadcast as TensorFlow's do (NumPy rules);
 * shape arguments (axes, permutations, begins, sizes) become constants so that shape inference keeps
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
        return wrap(g.constant(values, shape, dtype));
    }

    @Override
    public Tensor constant(long[] values, Shape shape, DType dtype) {
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
        Output<?> z = stateless("StatelessRandomNormal", shape, dtype, seed);
        return affine(z, dtype, std, mean);
    }

    @Override
    public Tensor randomUniform(Shape shape, DType dtype, Tensor seed, double low, double high) {
        Output<?> u = stateless("StatelessRandomUniform", shape, dtype, seed);
        return affine(u, dtype, high - low, low);
    }

    /** A stateless draw: a pure function of the seed's two values, as the API asks. */
    private Output<?> stateless(String type, Shape shape, DType dtype, Tensor seed) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("tensorflow: " + type + " draws float32 or float64, not " + dtype);
        }
        if (!seed.dtype().isInteger() || !seed.shape().equals(Shape.of(2))) {
            throw new IllegalArgumentException("tensorflow: a random seed must be an INT64 tensor of shape [2], got "
                    + seed.dtype() + seed.shape());
        }
        return g.op(type).input(g.int64s(shape.dims())).input(in(seed)).attr("dtype", DTypes.toTf(dtype)).output();
    }

    /** scale · x + shift, skipping the identity parts. */
    private Tensor affine(Output<?> x, DType dtype, double scale, double shift) {
        Output<?> y = x;
        if (scale != 1) {
            y = g.op("Mul").input(y).input(g.constant(new double[] {scale}, Shape.scalar(), dtype)).output();
        }
        if (shift != 0) {
            y = g.op("AddV2").input(y).input(g.constant(new double[] {shift}, Shape.scalar(), dtype)).output();
        }
        return wrap(y);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("AddV2", a, b);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("Sub", a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("Mul", a, b);
    }

    /** RealDiv for floating types; Div (truncating) for integers, which RealDiv does not take. */
    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary(a.dtype().isFloating() ? "RealDiv" : "Div", a, b);
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        return binary("Pow", a, b);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("Maximum", a, b);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("Minimum", a, b);
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
        return binary("Greater", a, b);
    }

    @Override
    public Tensor greaterEqual(Tensor a, Tensor b) {
        return binary("GreaterEqual", a, b);
    }

    @Override
    public Tensor less(Tensor a, Tensor b) {
        return binary("Less", a, b);
    }

    @Override
    public Tensor lessEqual(Tensor a, Tensor b) {
        return binary("LessEqual", a, b);
    }

    @Override
    public Tensor equal(Tensor a, Tensor b) {
        return binary("Equal", a, b);
    }

    /** SelectV2: broadcasts the mask and both sides; its gradient routes to the chosen side. */
    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("tensorflow: where needs a BOOL mask, got " + mask.dtype()
                    + "; make one with a comparison or cast(x, BOOL)");
        }
        sameType("where", a, b);
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
        return reduce("Sum", x, axes, keepDims);
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        return reduce("Mean", x, axes, keepDims);
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce("Max", x, axes, keepDims);
    }

    private Tensor reduce(String type, Tensor x, int[] axes, boolean keepDims) {
        int[] normalized = axes.length == 0 ? allAxes(x.shape().rank()) : normalizeAxes(x.shape(), axes);
        return wrap(g.op(type).input(in(x)).input(g.int32s(normalized)).attr("keep_dims", keepDims).output());
    }

    private static int[] allAxes(int rank) {
        int[] all = new int[rank];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static int[] normalizeAxes(Shape shape, int[] axes) {
        int[] out = Arrays.stream(axes).map(shape::normalizeAxis).sorted().toArray();
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException("tensorflow: axes " + Arrays.toString(axes) + " name axis " + out[i]
                        + " twice (shape " + shape + ")");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- shapes and linear algebra

    /** MatMul for two matrices (its gradient is two MatMuls); BatchMatMulV2 (broadcasting) otherwise. */
    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (a.shape().rank() < 2 || b.shape().rank() < 2) {
            throw new IllegalArgumentException("tensorflow: matmul needs tensors of rank >= 2, got " + a.shape()
                    + " and " + b.shape());
        }
        boolean plain = a.shape().rank() == 2 && b.shape().rank() == 2;
        return binary(plain ? "MatMul" : "BatchMatMulV2", a, b);
    }

    @Override
    public Tensor transpose(Tensor x, int... perm) {
        int rank = x.shape().rank();
        int[] p = new int[perm.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < perm.length; i++) {
            int axis = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (perm.length != rank || axis < 0 || axis >= rank || seen[axis]) {
                throw new IllegalArgumentException("tensorflow: transpose of shape " + x.shape() + " by "
                        + Arrays.toString(perm) + ": a permutation of 0.." + (rank - 1) + " is needed");
            }
            seen[axis] = true;
            p[i] = axis;
        }
        return wrap(g.op("Transpose").input(in(x)).input(g.int32s(p)).output());
    }

    @Override
    public Tensor reshape(Tensor x, long... dims) {
        if (Arrays.stream(dims).filter(d -> d == -1).count() > 1 || Arrays.stream(dims).anyMatch(d -> d < -1)) {
            throw new IllegalArgumentException("tensorflow: reshape of shape " + x.shape() + " to " + Arrays.toString(dims)
                    + ": dimensions must be >= 0, with at most one -1");
        }
        return wrap(g.op("Reshape").input(in(x)).input(g.int64s(dims)).output());
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("tensorflow: concat needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int a = first.shape().normalizeAxis(axis);
        if (parts.size() == 1) {
            return first;
        }
        Output<?>[] values = new Output<?>[parts.size()];
        for (int i = 0; i < values.length; i++) {
            sameType("concat", first, parts.get(i));
            values[i] = in(parts.get(i));
        }
        return wrap(g.op("ConcatV2").inputList(values).input(g.int32(a)).output());
    }

    @Override
    public Tensor slice(Tensor x, long[] begin, long[] size) {
        int rank = x.shape().rank();
        if (begin.length != rank || size.length != rank) {
            throw new IllegalArgumentException("tensorflow: slice of shape " + x.shape() + " needs " + rank
                    + " begins and sizes, got " + Arrays.toString(begin) + " and " + Arrays.toString(size));
        }
        // INT32 begins and sizes: TensorFlow's C++ gradient of Slice mixes them with INT32 shapes.
        return wrap(g.op("Slice").input(in(x)).input(g.int32s(toInts(begin))).input(g.int32s(toInts(size))).output());
    }

    /** GatherV2 with batch_dims 0. */
    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        requireIndices("gather", indices);
        int a = params.shape().normalizeAxis(axis);
        return wrap(g.op("GatherV2").input(in(params)).input(in(indices)).input(g.int32(a)).output());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, DType dtype) {
        requireIndices("oneHot", indices);
        Output<?> on = g.constant(new double[] {1}, Shape.scalar(), dtype);
        Output<?> off = g.constant(new double[] {0}, Shape.scalar(), dtype);
        return wrap(g.op("OneHot").input(in(indices)).input(g.int32(depth)).input(on).input(off).output());
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return alongLastAxis("Softmax", x, axis);
    }

    /**
     * LogSoftmax over a matrix: TensorFlow's C++ gradient of LogSoftmax sums over axis 1, which is
     * right for rank 2 only, so other ranks are reshaped to [rows, last] around it.
     */
    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return alongLastAxis("LogSoftmax", x, axis);
    }

    /**
     * TensorFlow's Softmax and LogSoftmax work on the last axis: another axis is swapped to the end
     * and back (the swap is its own inverse).
     */
    private Tensor alongLastAxis(String type, Tensor x, int axis) {
        int rank = x.shape().rank();
        int a = x.shape().normalizeAxis(axis);
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

    private Tensor binary(String type, Tensor a, Tensor b) {
        sameType(type, a, b);
        return wrap(g.op(type).input(in(a)).input(in(b)).output());
    }

    private static void sameType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("tensorflow: " + op + " of " + a.dtype() + a.shape() + " and "
                    + b.dtype() + b.shape() + ": the inputs must share a dtype; cast one first");
        }
    }

    private static int[] toInts(long[] values) {
        return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    private static void requireIndices(String op, Tensor indices) {
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("tensorflow: " + op + " needs INT32 or INT64 indices, got " + indices.dtype());
        }
    }
}
