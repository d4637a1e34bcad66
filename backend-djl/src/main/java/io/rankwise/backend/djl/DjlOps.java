package io.rankwise.backend.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.OpChecks;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.List;
import java.util.function.Function;

/**
 * Eager {@link Ops} on PyTorch, for one call of a compiled function. Every op is one (rarely a few)
 * native PyTorch calls; results are registered in the call's scope by DJL itself. Arguments are
 * checked by {@link OpChecks} before PyTorch sees them, so that a bad call fails as it does on
 * every other backend; in particular operands of different dtypes are refused rather than promoted
 * by PyTorch. Broadcasting is PyTorch's, which agrees with NumPy's.
 */
final class DjlOps implements Ops {
    /** An element-wise operation of two arrays. */
    @FunctionalInterface
    private interface Binary {
        NDArray apply(NDArray a, NDArray b);
    }

    /** An operation of one array. */
    @FunctionalInterface
    private interface Unary {
        NDArray apply(NDArray x);
    }

    private final DjlBackend backend;
    private final CallState state;
    private final PtNDManager manager;

    DjlOps(DjlBackend backend, CallState state) {
        this.backend = backend;
        this.state = state;
        this.manager = backend.manager();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    // ---------------------------------------------------------------- plumbing

    private DjlTensor own(Tensor t) {
        return backend.own(t);
    }

    private DjlTensor wrap(NDArray result, DType dtype) {
        return DjlTensor.scoped(result, dtype);
    }

    /** An element-wise operation: one dtype in (checked), the same dtype out. */
    private Tensor binary(String op, Tensor a, Tensor b, Binary f) {
        DjlTensor x = own(a);
        DjlTensor y = own(b);
        OpChecks.elementwise(op, x, y);
        return apply(op, x, y, f, x.dtype());
    }

    /** A comparison: one dtype in (checked), BOOL out. */
    private Tensor compare(String op, Tensor a, Tensor b, Binary f) {
        DjlTensor x = own(a);
        DjlTensor y = own(b);
        OpChecks.elementwise(op, x, y);
        return apply(op, x, y, f, DType.BOOL);
    }

    /** Runs an already checked operation of two arrays; an engine refusal names the operands. */
    private Tensor apply(String op, DjlTensor x, DjlTensor y, Binary f, DType result) {
        try {
            return wrap(f.apply(x.array(), y.array()), result);
        } catch (EngineException e) {
            throw failed(op, e, x, y);
        }
    }

    private Tensor unary(String op, Tensor t, Unary f) {
        DjlTensor x = own(t);
        try {
            return wrap(f.apply(x.array()), x.knownDtype());
        } catch (EngineException e) {
            throw failed(op, e, x);
        }
    }

    private static IllegalArgumentException failed(
            String op, EngineException e, DjlTensor... operands) {
        StringBuilder s = new StringBuilder("djl: ").append(op).append(" failed for operands");
        for (DjlTensor t : operands) {
            s.append(' ').append(t.shape()).append(' ').append(t.dtype());
        }
        return new IllegalArgumentException(s.append(": ").append(e.getMessage()).toString(), e);
    }

    private NDArray scalarArray(double value, DType dtype) {
        DjlTensor cached = backend.scalars().get(value, dtype);
        return cached != null ? cached.array() : ScalarCache.make(manager, value, dtype);
    }

    private static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }

    // ---------------------------------------------------------------- creation

    @Override
    public Tensor constant(double[] values, Shape shape, DType dtype) {
        OpChecks.values("constant", values.length, shape);
        return wrap(HostArrays.upload(manager, values, shape, dtype), dtype);
    }

    @Override
    public Tensor constant(long[] values, Shape shape, DType dtype) {
        OpChecks.values("constant", values.length, shape);
        return wrap(HostArrays.upload(manager, values, shape, dtype), dtype);
    }

    @Override
    public Tensor full(Shape shape, double value, DType dtype) {
        if (shape.rank() == 0) {
            DjlTensor cached = backend.scalars().get(value, dtype);
            if (cached != null) {
                return cached;
            }
        }
        NDArray a =
                JniUtils.full(
                        manager,
                        DTypes.toDjl(shape),
                        value,
                        DTypes.toDjl(dtype),
                        manager.getDevice(),
                        SparseFormat.DENSE);
        return wrap(a, dtype);
    }

    @Override
    public Tensor randomNormal(Shape shape, DType dtype, Tensor seed, double mean, double std) {
        DjlTensor s = own(seed);
        OpChecks.random("randomNormal", dtype, s);
        NDArray z = SeededRandom.standardNormal(manager, shape, dtype, s.array().toLongArray());
        return wrap(affine(z, std, mean, dtype), dtype);
    }

    @Override
    public Tensor randomUniform(Shape shape, DType dtype, Tensor seed, double low, double high) {
        DjlTensor s = own(seed);
        OpChecks.random("randomUniform", dtype, s);
        NDArray u = SeededRandom.standardUniform(manager, shape, dtype, s.array().toLongArray());
        return wrap(affine(u, high - low, low, dtype), dtype);
    }

    private NDArray affine(NDArray x, double scale, double shift, DType dtype) {
        NDArray y = scale == 1 ? x : x.mul(scalarArray(scale, dtype));
        return shift == 0 ? y : y.add(scalarArray(shift, dtype));
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("add", a, b, NDArray::add);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("sub", a, b, NDArray::sub);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("mul", a, b, NDArray::mul);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        DjlTensor x = own(a);
        if (x.dtype().isInteger()) {
            // PyTorch divides integers into floats; keep the integer type, truncating toward zero.
            // (binary checks that b has the same type.)
            DataType type = DTypes.toDjl(x.dtype());
            return binary(
                    "div",
                    a,
                    b,
                    (p, q) ->
                            p.toType(DataType.FLOAT64, false)
                                    .div(q.toType(DataType.FLOAT64, false))
                                    .toType(type, false));
        }
        return binary("div", a, b, NDArray::div);
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        return binary("pow", a, b, NDArray::pow);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("maximum", a, b, NDArray::maximum);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("minimum", a, b, NDArray::minimum);
    }

    @Override
    public Tensor neg(Tensor x) {
        return unary("neg", x, NDArray::neg);
    }

    @Override
    public Tensor abs(Tensor x) {
        return unary("abs", x, NDArray::abs);
    }

    @Override
    public Tensor sqrt(Tensor x) {
        return unary("sqrt", x, NDArray::sqrt);
    }

    @Override
    public Tensor rsqrt(Tensor x) {
        // DJL has no rsqrt. 1 / sqrt(x) rounds twice but each step correctly, which tracks
        // TensorFlow's Rsqrt and the reference implementations more closely than x^(-1/2).
        DjlTensor t = own(x);
        NDArray one = scalarArray(1.0, t.dtype());
        return unary("rsqrt", x, a -> one.div(a.sqrt()));
    }

    @Override
    public Tensor exp(Tensor x) {
        return unary("exp", x, NDArray::exp);
    }

    @Override
    public Tensor log(Tensor x) {
        return unary("log", x, NDArray::log);
    }

    @Override
    public Tensor square(Tensor x) {
        return unary("square", x, NDArray::square);
    }

    @Override
    public Tensor tanh(Tensor x) {
        return unary("tanh", x, NDArray::tanh);
    }

    @Override
    public Tensor erf(Tensor x) {
        return unary("erf", x, NDArray::erf);
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return unary("sigmoid", x, a -> a.getNDArrayInternal().sigmoid());
    }

    @Override
    public Tensor greater(Tensor a, Tensor b) {
        return compare("greater", a, b, NDArray::gt);
    }

    @Override
    public Tensor greaterEqual(Tensor a, Tensor b) {
        return compare("greaterEqual", a, b, NDArray::gte);
    }

    @Override
    public Tensor less(Tensor a, Tensor b) {
        return compare("less", a, b, NDArray::lt);
    }

    @Override
    public Tensor lessEqual(Tensor a, Tensor b) {
        return compare("lessEqual", a, b, NDArray::lte);
    }

    @Override
    public Tensor equal(Tensor a, Tensor b) {
        return compare("equal", a, b, NDArray::eq);
    }

    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        DjlTensor m = own(mask);
        DjlTensor x = own(a);
        DjlTensor y = own(b);
        OpChecks.where(m, x, y);
        // DJL's where refuses to broadcast; torch.where itself does.
        return apply(
                "where", x, y, (p, q) -> JniUtils.where(pt(m.array()), pt(p), pt(q)), x.dtype());
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        DjlTensor t = own(x);
        if (t.dtype() == dtype) {
            return t; // DJL would return the same array; the tensor itself says who owns it
        }
        DataType target = DTypes.toDjl(dtype);
        if (state.differentiating() && t.dtype().isFloating() && dtype.isFloating()) {
            // DJL's toType cuts the autograd graph. cumprod with a dtype converts its input inside
            // the graph, and over a new axis of length 1 it is the identity: a differentiable cast.
            return wrap(t.array().expandDims(-1).cumProd(-1, target).squeeze(-1), dtype);
        }
        return wrap(t.array().toType(target, false), dtype);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        DjlTensor t = own(x);
        int[] a = OpChecks.reductionAxes("sum", t.shape(), axes);
        return wrap(
                Reductions.sum(t.array(), a, keepDims),
                t.dtype() == DType.BOOL ? DType.INT64 : t.dtype());
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        DjlTensor t = own(x);
        int[] a = OpChecks.reductionAxes("mean", t.shape(), axes);
        return wrap(Reductions.mean(t.array(), a, keepDims), t.dtype());
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        DjlTensor t = own(x);
        int[] a = OpChecks.reductionAxes("max", t.shape(), axes);
        return wrap(Reductions.max(t.array(), a, keepDims), t.dtype());
    }

    // ---------------------------------------------------------------- shapes and linear algebra

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        DjlTensor x = own(a);
        DjlTensor y = own(b);
        OpChecks.matmul(x, y);
        return apply("matmul", x, y, NDArray::matMul, x.dtype());
    }

    @Override
    public Tensor transpose(Tensor x, int... perm) {
        DjlTensor t = own(x);
        int[] p = OpChecks.transpose(t.shape(), perm);
        if (p.length == 0) {
            return t;
        }
        return unary("transpose", x, a -> a.transpose(p));
    }

    @Override
    public Tensor reshape(Tensor x, long... dims) {
        DjlTensor t = own(x);
        ai.djl.ndarray.types.Shape target =
                new ai.djl.ndarray.types.Shape(OpChecks.reshape(t.shape(), dims));
        return unary("reshape", x, a -> a.reshape(target));
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        PtNDArray[] arrays = new PtNDArray[parts.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = pt(own(parts.get(i)).array());
        }
        int a = OpChecks.concat(parts, axis);
        try {
            return wrap(JniUtils.cat(arrays, a), parts.get(0).dtype());
        } catch (EngineException e) {
            throw failed("concat", e, parts.stream().map(this::own).toArray(DjlTensor[]::new));
        }
    }

    @Override
    public Tensor slice(Tensor x, long[] begin, long[] size) {
        DjlTensor t = own(x);
        long[] sizes = OpChecks.slice(t.shape(), begin, size);
        if (sizes.length == 0) {
            return t;
        }
        NDIndex index = new NDIndex();
        for (int i = 0; i < sizes.length; i++) {
            index.addSliceDim(begin[i], begin[i] + sizes[i]);
        }
        return unary("slice", x, a -> a.get(index));
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        DjlTensor p = own(params);
        DjlTensor i = own(indices);
        int a = OpChecks.gather(p, i, axis);
        // One advanced index on axis a gives params[:a] + indices.shape + params[a+1:], as
        // GatherV2.
        NDIndex index = new NDIndex(":, ".repeat(a) + "{}", i.array());
        return unary("gather", params, x -> x.get(index));
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, DType dtype) {
        DjlTensor i = own(indices);
        OpChecks.oneHot(i, depth);
        // Compared against 0..depth-1 rather than torch.one_hot, so that an index outside [0,
        // depth)
        // gives a row of zeros (as in TensorFlow) instead of an error.
        NDArray idx = i.array();
        NDArray range = manager.arange(0, depth, 1, idx.getDataType());
        NDArray hot = idx.expandDims(-1).eq(range);
        return wrap(dtype == DType.BOOL ? hot : hot.toType(DTypes.toDjl(dtype), false), dtype);
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        DjlTensor t = own(x);
        int a = OpChecks.axis("softmax", t.shape(), axis);
        return unary("softmax", x, v -> v.softmax(a));
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        DjlTensor t = own(x);
        int a = OpChecks.axis("logSoftmax", t.shape(), axis);
        return unary("logSoftmax", x, v -> v.logSoftmax(a));
    }

    // ---------------------------------------------------------------- fused compositions

    /**
     * GELU in its exact form, x · Φ(x) = x · ½ · (1 + erf(x / √2)), as PyTorch's own kernel ({@code
     * torch.nn.functional.gelu} with {@code approximate="none"}, its default). One native array
     * instead of the composition's five, and autograd saves only x. Other dtypes take the
     * composition, which refuses them as it always did.
     */
    @Override
    public Tensor gelu(Tensor x) {
        DjlTensor t = own(x);
        if (!t.dtype().isFloating()) {
            return Ops.super.gelu(x);
        }
        return unary("gelu", x, a -> JniUtils.gelu(pt(a)));
    }

    /**
     * Layer normalisation over the last axis as PyTorch's own kernel ({@code
     * torch.nn.functional.layer_norm}): γ · (x − μ) / √(σ² + eps) + β, with μ and the biased
     * variance σ² of the last axis. One native array instead of the composition's nine, and
     * autograd saves x with μ and 1/√(σ² + eps) per row rather than every intermediate. The kernel
     * wants γ and β of shape [D] (D the last dimension of x); other shapes (a γ that broadcasts
     * along further axes, say), mixed dtypes or non-floating tensors take the composition, which
     * gives the same broadcasting and the same errors as before.
     */
    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        DjlTensor in = own(x);
        DjlTensor g = own(gamma);
        DjlTensor b = own(beta);
        if (!fusableNorm(in, g, b)) {
            return Ops.super.layerNorm(x, gamma, beta, eps);
        }
        long width = in.shape().dim(in.shape().rank() - 1);
        ai.djl.ndarray.types.Shape last = new ai.djl.ndarray.types.Shape(width);
        NDArray weight = asRow(g, last);
        NDArray bias = asRow(b, last);
        try {
            return wrap(
                    JniUtils.layerNorm(pt(in.array()), last, pt(weight), pt(bias), eps),
                    in.dtype());
        } catch (EngineException e) {
            throw failed("layerNorm", e, in, g, b);
        } finally {
            // Reshaped views are ours alone; the kernel's graph holds its own references.
            if (weight != g.array()) {
                weight.close();
            }
            if (bias != b.array()) {
                bias.close();
            }
        }
    }

    /** The array itself if it is already [D], else a [D] view of it. */
    private static NDArray asRow(DjlTensor t, ai.djl.ndarray.types.Shape row) {
        return t.shape().rank() == 1 ? t.array() : t.array().reshape(row);
    }

    /**
     * Whether PyTorch's layer_norm computes exactly what the composition would: one floating dtype,
     * x of rank ≥ 1 with a non-empty last axis, and γ, β holding D values along their last axis
     * with every other axis 1 and no more axes than x (so broadcasting adds none).
     */
    private static boolean fusableNorm(DjlTensor x, DjlTensor gamma, DjlTensor beta) {
        DType dtype = x.dtype();
        if (!dtype.isFloating() || gamma.dtype() != dtype || beta.dtype() != dtype) {
            return false;
        }
        Shape s = x.shape();
        if (s.rank() == 0 || s.dim(s.rank() - 1) == 0) {
            return false;
        }
        long width = s.dim(s.rank() - 1);
        return isRow(gamma.shape(), width, s.rank()) && isRow(beta.shape(), width, s.rank());
    }

    /** A shape [1, …, 1, width] (or [width]) of rank at most {@code maxRank}. */
    private static boolean isRow(Shape shape, long width, int maxRank) {
        int rank = shape.rank();
        if (rank == 0 || rank > maxRank || shape.dim(rank - 1) != width) {
            return false;
        }
        for (int i = 0; i < rank - 1; i++) {
            if (shape.dim(i) != 1) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- state

    @Override
    public Tensor read(Variable variable) {
        return backend.own(variable).read();
    }

    @Override
    public void assign(Variable variable, Tensor value) {
        DjlVariable v = backend.own(variable);
        DjlTensor t = own(value);
        OpChecks.assign(v, t);
        state.write(v, t);
    }

    // ---------------------------------------------------------------- differentiation

    @Override
    public ValueAndGradients valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> at) {
        return new Autodiff(backend, state).valueAndGradients(f, at);
    }
}
