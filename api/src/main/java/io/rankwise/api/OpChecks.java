package io.rankwise.api;

import java.util.Arrays;
import java.util.List;

/**
 * The argument checks of {@link Ops}, written once for every backend, in the manner of Keras 3's
 * shared op utilities: each method validates the static facts of a call (dtypes, shapes, axes,
 * arguments) and, where the backend needs it, computes the canonical form of an argument (a
 * normalised axis, a reshape with its −1 resolved, slice sizes without −1).
 *
 * <p>A backend calls these before it hands anything to its engine, so that a bad call fails the
 * same way on every backend: an {@link IllegalArgumentException} whose message is {@code "<op>:
 * <what was given>; accepted: <what would be>"}, with shapes and dtypes written by {@link
 * Shape#toString()} and {@link DType#name()}. Nothing here depends on a backend, so the message for
 * a given bad input is identical across backends: the conformance suite checks each backend's
 * refusals, and the cross-backend parity test (integration-tests) that they are equal.
 *
 * <p>Only facts known before the engine runs are checked: values (an index beyond the table, a NaN)
 * are the engine's business.
 */
public final class OpChecks {
    private static final String FLOATING = "FLOAT32 or FLOAT64";
    private static final String INTEGER = "INT32 or INT64";

    private OpChecks() {}

    // ---------------------------------------------------------------- dtypes and broadcasting

    /**
     * Checks a binary element-wise operation ({@code add}, {@code sub}, {@code mul}, {@code div},
     * {@code pow}, {@code maximum}, {@code minimum} and the comparisons): both operands share one
     * dtype (there is no implicit promotion, not even between FLOAT32 and FLOAT64) and their shapes
     * broadcast as NumPy's do.
     *
     * @param op the operation's name in {@link Ops}
     * @return the broadcast shape of the result
     * @throws IllegalArgumentException for mixed dtypes or shapes that do not broadcast
     */
    public static Shape elementwise(String op, Tensor a, Tensor b) {
        sameDType(op, "a", a, "b", b);
        return broadcast(op, a.shape(), b.shape());
    }

    /**
     * Checks that two operands share a dtype. Rankwise never promotes implicitly: a FLOAT32 weight
     * meeting a FLOAT64 activation is a bug in the model (TensorFlow would refuse it, PyTorch would
     * quietly compute in float64 and double the memory), so every backend refuses it and the caller
     * casts explicitly.
     *
     * @param op the operation's name
     * @param nameA how the first operand is called in {@code op}'s signature
     * @param nameB how the second operand is called
     * @throws IllegalArgumentException naming the operation and both dtypes when they differ
     */
    public static void sameDType(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw refuse(
                    op,
                    nameA + " is " + describe(a) + " and " + nameB + " is " + describe(b),
                    "operands of one dtype (no implicit promotion; cast one of them first)");
        }
    }

    /**
     * The NumPy broadcast of {@code shapes}: aligned at the last axis, each dimension pair must be
     * equal or contain a 1 (a missing leading axis counts as 1), and the result takes the larger.
     *
     * @param op the operation's name
     * @return the broadcast shape
     * @throws IllegalArgumentException naming the shapes and the first axis (counted from the end)
     *     where they disagree
     */
    public static Shape broadcast(String op, Shape... shapes) {
        StringBuilder mismatch = new StringBuilder();
        long[] out = broadcastOrNull(shapes, mismatch);
        if (out == null) {
            throw refuse(
                    op,
                    "shapes " + list(shapes) + " do not broadcast (axis " + mismatch + ")",
                    "shapes whose dimensions, aligned at the last axis, are equal or 1");
        }
        return Shape.of(out);
    }

    /**
     * Checks {@link Ops#where}: the mask is BOOL, both sides share a dtype, and the three shapes
     * broadcast together.
     *
     * @return the broadcast shape of the result
     * @throws IllegalArgumentException for a non-BOOL mask, sides of different dtypes, or shapes
     *     that do not broadcast
     */
    public static Shape where(Tensor mask, Tensor a, Tensor b) {
        if (mask.dtype() != DType.BOOL) {
            throw refuse(
                    "where",
                    "mask is " + describe(mask),
                    "a BOOL mask (make one with a comparison or cast(x, BOOL))");
        }
        sameDType("where", "a", a, "b", b);
        return broadcast("where", mask.shape(), a.shape(), b.shape());
    }

    // ---------------------------------------------------------------- creation

    /**
     * Checks that {@code length} host values fill {@code shape} exactly.
     *
     * @param op the operation's name ({@code constant})
     * @throws IllegalArgumentException when the count differs from the shape's size
     */
    public static void values(String op, long length, Shape shape) {
        if (length != shape.size()) {
            throw refuse(
                    op,
                    length + " values for shape " + shape,
                    "exactly " + shape.size() + " values");
        }
    }

    /**
     * Checks a seeded random draw ({@link Ops#randomNormal}, {@link Ops#randomUniform}): the dtype
     * is floating, and the seed is an INT64 tensor of shape [2] (two words, so that a step counter
     * and a per-site offset both fit without colliding).
     *
     * @param op the operation's name
     * @throws IllegalArgumentException for an integer or BOOL dtype, or a seed of another dtype or
     *     shape (the dtype is checked first)
     */
    public static void random(String op, DType dtype, Tensor seed) {
        if (!dtype.isFloating()) {
            throw refuse(op, "dtype is " + dtype, FLOATING + " (draws are floating)");
        }
        if (seed.dtype() != DType.INT64 || !seed.shape().equals(Shape.of(2))) {
            throw refuse(op, "seed is " + describe(seed), "an INT64 seed of shape [2]");
        }
    }

    // ---------------------------------------------------------------- axes

    /**
     * Maps a possibly negative {@code axis} of a tensor of {@code shape} into {@code [0, rank)}.
     *
     * @param op the operation's name
     * @return the axis, counted from the front
     * @throws IllegalArgumentException when the axis is outside {@code [-rank, rank)}
     */
    public static int axis(String op, Shape shape, int axis) {
        int rank = shape.rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw refuse(
                    op,
                    "axis " + axis + " for shape " + shape,
                    rank == 0
                            ? "no axis (the input is a scalar)"
                            : "an axis in " + axisRange(rank));
        }
        return a;
    }

    /**
     * The axes a reduction ({@code sum}, {@code mean}, {@code max}) runs over: every axis when
     * {@code axes} is empty, else the given ones normalised and sorted. Naming one axis twice is
     * refused, as NumPy and TensorFlow do, rather than silently reduced once.
     *
     * @param op the operation's name
     * @return distinct axes in {@code [0, rank)}, ascending
     * @throws IllegalArgumentException for an axis out of range or named twice
     */
    public static int[] reductionAxes(String op, Shape shape, int[] axes) {
        int rank = shape.rank();
        if (axes.length == 0) {
            int[] all = new int[rank];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                throw refuse(
                        op,
                        "axes " + Arrays.toString(axes) + " for shape " + shape,
                        rank == 0
                                ? "no axes (the input is a scalar)"
                                : "distinct axes, each in " + axisRange(rank));
            }
            out[i] = a;
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw refuse(
                        op,
                        "axes "
                                + Arrays.toString(axes)
                                + " name axis "
                                + out[i]
                                + " of shape "
                                + shape
                                + " twice",
                        "distinct axes, each in " + axisRange(rank));
            }
        }
        return out;
    }

    /**
     * Checks {@link Ops#transpose}: {@code perm} is a permutation of the axes (negative entries
     * count from the end).
     *
     * @return the permutation with every entry in {@code [0, rank)}
     * @throws IllegalArgumentException for a permutation of the wrong length, an entry out of
     *     range, or an axis named twice
     */
    public static int[] transpose(Shape shape, int[] perm) {
        int rank = shape.rank();
        int[] out = new int[perm.length];
        boolean[] seen = new boolean[rank];
        boolean valid = perm.length == rank;
        for (int i = 0; valid && i < perm.length; i++) {
            int a = perm[i] < 0 ? perm[i] + rank : perm[i];
            valid = a >= 0 && a < rank && !seen[a];
            if (valid) {
                seen[a] = true;
                out[i] = a;
            }
        }
        if (!valid) {
            throw refuse(
                    "transpose",
                    "perm " + Arrays.toString(perm) + " for shape " + shape,
                    rank == 0
                            ? "[] (the input is a scalar)"
                            : "a permutation of 0 to "
                                    + (rank - 1)
                                    + ", one entry per axis (negative entries count from the end)");
        }
        return out;
    }

    // ---------------------------------------------------------------- shapes

    /**
     * Checks {@link Ops#reshape} and resolves its −1: every dimension is ≥ 0 except at most one −1,
     * which becomes the size divided by the product of the others, and the new dimensions hold
     * exactly as many elements as {@code from}. A −1 next to a 0 is refused, since any value would
     * do.
     *
     * @param from the input's shape
     * @param dims the requested dimensions
     * @return the dimensions with the −1 resolved
     * @throws IllegalArgumentException for a dimension below −1, two −1s, a −1 that cannot be
     *     resolved, or a size mismatch
     */
    public static long[] reshape(Shape from, long[] dims) {
        String given = "dims " + Arrays.toString(dims) + " for shape " + from;
        String accepted =
                "dimensions >= 0 whose product is "
                        + from.size()
                        + ", one of them may be -1 (inferred)";
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (dims[i] < 0) {
                throw refuse("reshape", given, accepted);
            } else {
                known = multiplyOrRefuse(known, dims[i], "reshape", given, accepted);
            }
        }
        long[] out = dims.clone();
        if (inferred >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw refuse("reshape", given, accepted);
            }
            out[inferred] = from.size() / known;
        } else if (known != from.size()) {
            throw refuse("reshape", given, accepted);
        }
        return out;
    }

    /**
     * Checks {@link Ops#slice} and resolves its −1 sizes: one begin and one size per axis, and on
     * each axis {@code 0 ≤ begin ≤ dim} and either size −1 (to the end) or {@code 0 ≤ size ≤ dim −
     * begin}.
     *
     * @return the sizes with every −1 replaced by {@code dim − begin}
     * @throws IllegalArgumentException naming the first axis whose begin or size does not fit
     */
    public static long[] slice(Shape shape, long[] begin, long[] size) {
        int rank = shape.rank();
        if (begin.length != rank || size.length != rank) {
            throw refuse(
                    "slice",
                    "begin "
                            + Arrays.toString(begin)
                            + " and size "
                            + Arrays.toString(size)
                            + " for shape "
                            + shape,
                    "one begin and one size per axis (" + rank + " each)");
        }
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long dim = shape.dim(i);
            boolean fits =
                    begin[i] >= 0
                            && begin[i] <= dim
                            && (size[i] == -1 || (size[i] >= 0 && size[i] <= dim - begin[i]));
            if (!fits) {
                throw refuse(
                        "slice",
                        "begin "
                                + begin[i]
                                + " and size "
                                + size[i]
                                + " on axis "
                                + i
                                + " of shape "
                                + shape,
                        "0 <= begin <= "
                                + dim
                                + " and size -1 (to the end) or 0 <= size <= "
                                + dim
                                + " - begin");
            }
            out[i] = size[i] == -1 ? dim - begin[i] : size[i];
        }
        return out;
    }

    /**
     * Checks {@link Ops#concat}: at least one part; all parts share a dtype and a rank, and their
     * dimensions agree except on {@code axis}.
     *
     * @return the axis, counted from the front
     * @throws IllegalArgumentException for an empty list, an axis out of range, or parts that do
     *     not fit together (naming the first such part)
     */
    public static int concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw refuse("concat", "parts is empty", "at least one tensor");
        }
        Tensor first = parts.get(0);
        Shape s0 = first.shape();
        int a = axis("concat", s0, axis);
        for (int i = 1; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            sameDType("concat", "part 0", first, "part " + i, p);
            Shape s = p.shape();
            boolean fits = s.rank() == s0.rank();
            for (int k = 0; fits && k < s0.rank(); k++) {
                fits = k == a || s.dim(k) == s0.dim(k);
            }
            if (!fits) {
                throw refuse(
                        "concat",
                        "part 0 has shape "
                                + s0
                                + " and part "
                                + i
                                + " has shape "
                                + s
                                + " (axis "
                                + axis
                                + ")",
                        "parts of one rank whose dimensions agree except on axis " + a);
            }
        }
        return a;
    }

    /**
     * Checks {@link Ops#matmul}: both operands have rank ≥ 2 and one dtype, the inner dimensions
     * agree ({@code a[..., n, k] × b[..., k, m]}), and the leading (batch) dimensions broadcast.
     *
     * @return the result's shape {@code [...broadcast batch, n, m]}
     * @throws IllegalArgumentException naming the operand and its shape for a rank below 2, both
     *     dtypes when they differ, both shapes when the inner or batch dimensions disagree
     */
    public static Shape matmul(Tensor a, Tensor b) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        String accepted = "operands of rank >= 2, [..., n, k] x [..., k, m]";
        if (sa.rank() < 2) {
            throw refuse("matmul", "a has shape " + sa + " (rank " + sa.rank() + ")", accepted);
        }
        if (sb.rank() < 2) {
            throw refuse("matmul", "b has shape " + sb + " (rank " + sb.rank() + ")", accepted);
        }
        sameDType("matmul", "a", a, "b", b);
        if (sa.dim(-1) != sb.dim(-2)) {
            throw refuse(
                    "matmul",
                    "a has shape "
                            + sa
                            + " and b has shape "
                            + sb
                            + " (inner dimensions "
                            + sa.dim(-1)
                            + " and "
                            + sb.dim(-2)
                            + ")",
                    accepted);
        }
        long[] batch = broadcastOrNull(leading(sa), leading(sb));
        if (batch == null) {
            throw refuse(
                    "matmul",
                    "a has shape "
                            + sa
                            + " and b has shape "
                            + sb
                            + " (batch dimensions "
                            + leading(sa)
                            + " and "
                            + leading(sb)
                            + " do not broadcast)",
                    accepted + ", batch dimensions that broadcast");
        }
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = sa.dim(-2);
        out[batch.length + 1] = sb.dim(-1);
        return Shape.of(out);
    }

    // ---------------------------------------------------------------- indices

    /**
     * Checks {@link Ops#gather}: the indices are integers and the axis exists in {@code params}.
     *
     * @return the axis, counted from the front
     * @throws IllegalArgumentException for floating or BOOL indices, or an axis out of range
     */
    public static int gather(Tensor params, Tensor indices, int axis) {
        indices("gather", indices);
        return axis("gather", params.shape(), axis);
    }

    /**
     * Checks {@link Ops#oneHot}: the indices are integers and the depth is not negative.
     *
     * @throws IllegalArgumentException for floating or BOOL indices, or a negative depth
     */
    public static void oneHot(Tensor indices, int depth) {
        indices("oneHot", indices);
        if (depth < 0) {
            throw refuse("oneHot", "depth is " + depth, "depth >= 0");
        }
    }

    /**
     * Checks that {@code indices} hold integers, as every lookup needs.
     *
     * @param op the operation's name
     * @throws IllegalArgumentException for a floating or BOOL tensor
     */
    public static void indices(String op, Tensor indices) {
        if (!indices.dtype().isInteger()) {
            throw refuse(op, "indices are " + describe(indices), INTEGER + " indices");
        }
    }

    // ---------------------------------------------------------------- state and differentiation

    /**
     * Checks {@link Ops#assign}: the value has the variable's shape and dtype (a variable never
     * changes either).
     *
     * @throws IllegalArgumentException naming the variable and both shapes and dtypes
     */
    public static void assign(Variable variable, Tensor value) {
        if (!value.shape().equals(variable.shape()) || value.dtype() != variable.dtype()) {
            throw refuse(
                    "assign",
                    "value is "
                            + describe(value)
                            + " for variable '"
                            + variable.name()
                            + "' of "
                            + variable.dtype()
                            + " "
                            + variable.shape(),
                    "a value of the variable's dtype and shape");
        }
    }

    /**
     * Checks the tensors {@link Ops#valueAndGradients} differentiates with respect to: each is
     * floating.
     *
     * @throws IllegalArgumentException naming the first non-floating tensor by its position
     */
    public static void differentiable(List<Tensor> at) {
        for (int i = 0; i < at.size(); i++) {
            Tensor t = at.get(i);
            if (!t.dtype().isFloating()) {
                throw refuse(
                        "valueAndGradients",
                        "at[" + i + "] is " + describe(t),
                        FLOATING + " tensors (only those can be differentiated)");
            }
        }
    }

    /**
     * Checks what the function given to {@link Ops#valueAndGradients} returned: a floating tensor
     * with exactly one element. A larger result is refused rather than summed, so that no backend
     * differentiates something other than what the caller wrote.
     *
     * @throws IllegalArgumentException for null, an integer or BOOL result, or more than one
     *     element
     */
    public static void differentiatedValue(Tensor value) {
        if (value == null || !value.dtype().isFloating() || value.shape().size() != 1) {
            throw refuse(
                    "valueAndGradients",
                    "the function returned " + (value == null ? "null" : describe(value)),
                    "a " + FLOATING + " tensor with one element");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static IllegalArgumentException refuse(String op, String given, String accepted) {
        return new IllegalArgumentException(op + ": " + given + "; accepted: " + accepted);
    }

    private static String describe(Tensor t) {
        return t.dtype() + " " + t.shape();
    }

    private static String axisRange(int rank) {
        return (-rank) + " to " + (rank - 1);
    }

    /** The NumPy broadcast of the shapes' dimensions, or null when they do not broadcast. */
    private static long[] broadcastOrNull(Shape... shapes) {
        return broadcastOrNull(shapes, new StringBuilder());
    }

    /**
     * The NumPy broadcast of the shapes' dimensions; null when they do not broadcast, and then
     * {@code mismatch} says where ("-k has d1 and d2", for the first such axis counted from the
     * end).
     */
    private static long[] broadcastOrNull(Shape[] shapes, StringBuilder mismatch) {
        int rank = 0;
        for (Shape s : shapes) {
            rank = Math.max(rank, s.rank());
        }
        long[] out = new long[rank];
        for (int k = 1; k <= rank; k++) {
            long dim = 1;
            for (Shape s : shapes) {
                long d = s.rank() >= k ? s.dim(-k) : 1;
                if (d != dim && d != 1) {
                    if (dim != 1) {
                        mismatch.append(-k).append(" has ").append(dim).append(" and ").append(d);
                        return null;
                    }
                    dim = d;
                }
            }
            out[rank - k] = dim;
        }
        return out;
    }

    private static String list(Shape[] shapes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shapes.length; i++) {
            s.append(i == 0 ? "" : i == shapes.length - 1 ? " and " : ", ").append(shapes[i]);
        }
        return s.toString();
    }

    private static Shape leading(Shape s) {
        return Shape.of(Arrays.copyOf(s.dims(), s.rank() - 2));
    }

    private static long multiplyOrRefuse(long a, long b, String op, String given, String accepted) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw refuse(op, given, accepted);
        }
    }
}
