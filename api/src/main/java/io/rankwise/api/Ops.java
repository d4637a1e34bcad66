package io.rankwise.api;

import java.util.List;
import java.util.function.Function;

/**
 * The operations a step function is written with. One implementation per backend: eager on DJL,
 * graph-building on TensorFlow. Binary element-wise operations broadcast as NumPy does; axes may be
 * negative (counted from the end).
 *
 * <p><b>Dtypes are never promoted.</b> The operands of a binary element-wise operation, of a
 * comparison, of {@link #matmul}, the two sides of {@link #where} and the parts of {@link #concat}
 * must all have one dtype: {@code add(FLOAT32, FLOAT64)} (or {@code INT32} with {@code INT64}) is
 * refused on every backend with an {@link IllegalArgumentException} naming the operation and both
 * dtypes, rather than computed in the wider type as PyTorch would. Mixed precision is written with
 * an explicit {@link #cast}, so that a model costs the same memory and gives the same numbers on
 * every backend.
 *
 * <p><b>Bad arguments fail the same way everywhere.</b> Every backend checks its arguments with
 * {@link OpChecks} before its engine sees them, so a call that breaks one of the rules stated on
 * these methods throws {@link IllegalArgumentException} with the same message on every backend (the
 * operation, the argument, its value, and what would be accepted). Facts that only the values show
 * (an index beyond the table) are left to the engine.
 *
 * <p>The methods without a body are the primitives each backend implements; the default methods are
 * compositions of them, written once so that every backend computes (and differentiates) the same
 * expression.
 */
public interface Ops {

    /** The backend these ops run on. */
    Backend backend();

    // ---------------------------------------------------------------- creation

    /** A tensor holding {@code values} (row-major), converted to {@code dtype}. */
    Tensor constant(double[] values, Shape shape, DType dtype);

    /**
     * An integer or floating tensor holding {@code values} (row-major), converted to {@code dtype}.
     */
    Tensor constant(long[] values, Shape shape, DType dtype);

    /** A tensor with every element equal to {@code value}. */
    Tensor full(Shape shape, double value, DType dtype);

    /** A scalar. */
    default Tensor scalar(double value, DType dtype) {
        return full(Shape.scalar(), value, dtype);
    }

    /** All zeros. */
    default Tensor zeros(Shape shape, DType dtype) {
        return full(shape, 0, dtype);
    }

    /** All ones. */
    default Tensor ones(Shape shape, DType dtype) {
        return full(shape, 1, dtype);
    }

    /**
     * Draws from N(mean, std²) with the backend's generator. The draws are a pure function of
     * {@code seed} (an INT64 tensor of shape [2], usually an input so that each step differs) on a
     * given backend; different backends draw different numbers. For draws that are identical on
     * every backend, use {@link HostRandom} and feed the values as an input.
     *
     * @param dtype FLOAT32 or FLOAT64
     * @throws IllegalArgumentException for another dtype or a seed that is not INT64 [2]
     */
    Tensor randomNormal(Shape shape, DType dtype, Tensor seed, double mean, double std);

    /**
     * Draws from U[low, high) with the backend's generator; see {@link #randomNormal} for seeds.
     *
     * @param dtype FLOAT32 or FLOAT64
     * @throws IllegalArgumentException for another dtype or a seed that is not INT64 [2]
     */
    Tensor randomUniform(Shape shape, DType dtype, Tensor seed, double low, double high);

    // ---------------------------------------------------------------- element-wise

    /** a + b. */
    Tensor add(Tensor a, Tensor b);

    /** a − b. */
    Tensor sub(Tensor a, Tensor b);

    /** a · b (element-wise). */
    Tensor mul(Tensor a, Tensor b);

    /** a / b. */
    Tensor div(Tensor a, Tensor b);

    /** a^b (element-wise; floating). */
    Tensor pow(Tensor a, Tensor b);

    /** max(a, b) element-wise. At ties the gradient split is the engine's own. */
    Tensor maximum(Tensor a, Tensor b);

    /** min(a, b) element-wise. */
    Tensor minimum(Tensor a, Tensor b);

    /** −x. */
    Tensor neg(Tensor x);

    /** |x|. */
    Tensor abs(Tensor x);

    /** √x. */
    Tensor sqrt(Tensor x);

    /** 1/√x. */
    Tensor rsqrt(Tensor x);

    /** eˣ. */
    Tensor exp(Tensor x);

    /** ln x. */
    Tensor log(Tensor x);

    /** x². */
    Tensor square(Tensor x);

    /** tanh x. */
    Tensor tanh(Tensor x);

    /** The error function erf x = 2/√π ∫₀ˣ e^{−t²} dt. */
    Tensor erf(Tensor x);

    /** σ(x) = 1 / (1 + e^{−x}). */
    Tensor sigmoid(Tensor x);

    /** a &gt; b, as a BOOL tensor. */
    Tensor greater(Tensor a, Tensor b);

    /** a ≥ b, as a BOOL tensor. */
    Tensor greaterEqual(Tensor a, Tensor b);

    /** a &lt; b, as a BOOL tensor. */
    Tensor less(Tensor a, Tensor b);

    /** a ≤ b, as a BOOL tensor. */
    Tensor lessEqual(Tensor a, Tensor b);

    /** a = b, as a BOOL tensor. */
    Tensor equal(Tensor a, Tensor b);

    /**
     * Element-wise select: {@code mask ? a : b}, with broadcasting of all three. Gradients flow to
     * the chosen side.
     *
     * @throws IllegalArgumentException for a mask that is not BOOL, sides of different dtypes, or
     *     shapes that do not broadcast
     */
    Tensor where(Tensor mask, Tensor a, Tensor b);

    /** Converts the element type (BOOL becomes 0/1). Differentiable between floating types. */
    Tensor cast(Tensor x, DType dtype);

    // ---------------------------------------------------------------- reductions

    /** Σ over {@code axes} (all axes when empty; an axis named twice is refused). */
    Tensor sum(Tensor x, int[] axes, boolean keepDims);

    /** Mean over {@code axes} (all axes when empty; an axis named twice is refused). */
    Tensor mean(Tensor x, int[] axes, boolean keepDims);

    /** Maximum over {@code axes} (all axes when empty; an axis named twice is refused). */
    Tensor max(Tensor x, int[] axes, boolean keepDims);

    /** Σ of all elements, a scalar. */
    default Tensor sum(Tensor x) {
        return sum(x, new int[0], false);
    }

    /** Mean of all elements, a scalar. */
    default Tensor mean(Tensor x) {
        return mean(x, new int[0], false);
    }

    // ---------------------------------------------------------------- shapes and linear algebra

    /**
     * Matrix product over the last two axes, batched over the leading ones (with broadcasting):
     * {@code [..., n, k] × [..., k, m] → [..., n, m]}.
     *
     * @throws IllegalArgumentException for an operand of rank below 2, operands of different
     *     dtypes, inner dimensions that differ, or batch dimensions that do not broadcast
     */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * Permutes the axes: output axis i is input axis {@code perm[i]} (a permutation of all axes).
     */
    Tensor transpose(Tensor x, int... perm);

    /**
     * Same values, new dimensions; one dimension may be −1 (inferred).
     *
     * @throws IllegalArgumentException for a dimension below −1, two −1s, or dimensions that do not
     *     hold exactly the input's elements
     */
    Tensor reshape(Tensor x, long... dims);

    /**
     * Joins tensors along {@code axis}.
     *
     * @throws IllegalArgumentException for an empty list, or parts of different dtypes or ranks, or
     *     whose dimensions differ off {@code axis}
     */
    Tensor concat(List<Tensor> parts, int axis);

    /**
     * The block starting at {@code begin} with extent {@code size} (−1: to the end of that axis).
     *
     * @throws IllegalArgumentException unless there is one begin and one size per axis and the
     *     block lies inside the tensor ({@code 0 ≤ begin ≤ dim}, {@code begin + size ≤ dim})
     */
    Tensor slice(Tensor x, long[] begin, long[] size);

    /**
     * Picks slices of {@code params} along {@code axis} by integer {@code indices} (embedding
     * lookup for axis 0): output shape is {@code params.shape[:axis] + indices.shape +
     * params.shape[axis+1:]}. Differentiable with respect to {@code params}.
     *
     * @throws IllegalArgumentException for indices that are not INT32 or INT64
     */
    Tensor gather(Tensor params, Tensor indices, int axis);

    /**
     * One-hot encoding: a new last axis of length {@code depth}, 1 at the index, 0 elsewhere (an
     * index outside {@code [0, depth)} gives a row of zeros).
     *
     * @throws IllegalArgumentException for indices that are not INT32 or INT64, or a negative depth
     */
    Tensor oneHot(Tensor indices, int depth, DType dtype);

    /** softmax(x)ᵢ = e^{xᵢ} / Σⱼ e^{xⱼ} along {@code axis}. */
    Tensor softmax(Tensor x, int axis);

    /** log softmax(x)ᵢ = xᵢ − log Σⱼ e^{xⱼ} along {@code axis}. */
    Tensor logSoftmax(Tensor x, int axis);

    // ---------------------------------------------------------------- state

    /** The current value of a variable. */
    Tensor read(Variable variable);

    /**
     * Writes {@code value} into {@code variable}. Inside one step function, every read sees the
     * value from before the call; the writes take effect when the call completes.
     *
     * @throws IllegalArgumentException when the value's shape or dtype is not the variable's
     */
    void assign(Variable variable, Tensor value);

    // ---------------------------------------------------------------- differentiation

    /**
     * Evaluates {@code f} at {@code at} and differentiates its scalar result with respect to each
     * of those tensors: returns f(x) and ∂f/∂xᵢ for every i. The tensors may be any tensors
     * (inputs, variable reads, intermediate results); {@code f} receives stand-ins for them and
     * must compute with those. Gradients have the shapes of the tensors they belong to.
     *
     * <p>The tensors {@code f} makes, other than its result and the values it assigns, belong to
     * this differentiation: an eager backend frees them before its backward pass (so that a step's
     * peak memory is what the backward pass needs, and each micro-batch adds nothing), so they must
     * not be kept (in a captured variable, say) and used after this method returns.
     *
     * @throws IllegalArgumentException for a tensor in {@code at} that is not floating, or a result
     *     of {@code f} that is not a floating tensor with exactly one element
     */
    ValueAndGradients valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> at);

    // ---------------------------------------------------------------- compositions

    /** a + c for a scalar c. */
    default Tensor add(Tensor a, double c) {
        return add(a, scalar(c, a.dtype()));
    }

    /** a · c for a scalar c. */
    default Tensor mul(Tensor a, double c) {
        return mul(a, scalar(c, a.dtype()));
    }

    /** a − c for a scalar c. */
    default Tensor sub(Tensor a, double c) {
        return sub(a, scalar(c, a.dtype()));
    }

    /** a / c for a scalar c. */
    default Tensor div(Tensor a, double c) {
        return div(a, scalar(c, a.dtype()));
    }

    /** Limits x to [low, high]: min(max(x, low), high). */
    default Tensor clip(Tensor x, double low, double high) {
        return minimum(maximum(x, scalar(low, x.dtype())), scalar(high, x.dtype()));
    }

    /** GELU in its exact (erf) form, as BERT uses it: x · ½ · (1 + erf(x / √2)). */
    default Tensor gelu(Tensor x) {
        Tensor cdf = mul(add(erf(mul(x, 1.0 / Math.sqrt(2.0))), 1.0), 0.5);
        return mul(x, cdf);
    }

    /**
     * Layer normalisation over the last axis: γ · (x − μ) / √(σ² + eps) + β, with μ and σ² the mean
     * and (biased) variance of the last axis.
     */
    default Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        int[] last = {-1};
        Tensor mu = mean(x, last, true);
        Tensor centred = sub(x, mu);
        Tensor var = mean(square(centred), last, true);
        Tensor normed = mul(centred, rsqrt(add(var, eps)));
        return add(mul(normed, gamma), beta);
    }
}
