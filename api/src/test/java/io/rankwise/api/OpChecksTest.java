package io.rankwise.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The shared op checks on stand-in tensors (only shape and dtype matter to them). The messages are
 * spelled out in full here, since backends and users rely on them being stable and identical.
 */
class OpChecksTest {

    /** A tensor that has a shape and a dtype and nothing else. */
    private record Fake(Shape shape, DType dtype) implements Tensor {
        @Override
        public boolean isSymbolic() {
            return true;
        }

        @Override
        public double[] toDoubles() {
            throw new IllegalStateException("a stand-in has no values");
        }

        @Override
        public void close() {}
    }

    private static Tensor f32(long... dims) {
        return new Fake(Shape.of(dims), DType.FLOAT32);
    }

    private static Tensor of(DType dtype, long... dims) {
        return new Fake(Shape.of(dims), dtype);
    }

    private static void refused(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void elementwiseBroadcastsLikeNumPy() {
        assertEquals(Shape.of(2, 3, 4), OpChecks.elementwise("add", f32(2, 3, 4), f32(4)));
        assertEquals(Shape.of(2, 3, 4), OpChecks.elementwise("add", f32(2, 1, 4), f32(3, 1)));
        assertEquals(Shape.of(2, 3), OpChecks.elementwise("mul", f32(), f32(2, 3)));
        assertEquals(Shape.scalar(), OpChecks.elementwise("mul", f32(), f32()));
        assertEquals(Shape.of(0, 3), OpChecks.elementwise("sub", f32(0, 1), f32(1, 3)));
        refused(
                "add: shapes [2, 3] and [4] do not broadcast (axis -1 has 3 and 4); accepted: shapes whose"
                        + " dimensions, aligned at the last axis, are equal or 1",
                () -> OpChecks.elementwise("add", f32(2, 3), f32(4)));
        refused(
                "add: shapes [0, 3] and [2, 3] do not broadcast (axis -2 has 0 and 2); accepted: shapes whose"
                        + " dimensions, aligned at the last axis, are equal or 1",
                () -> OpChecks.elementwise("add", f32(0, 3), f32(2, 3)));
    }

    @Test
    void mixedDtypesAreRefusedWithoutPromotion() {
        refused(
                "add: a is FLOAT32 [2, 3] and b is FLOAT64 [3]; accepted: operands of one dtype (no implicit"
                        + " promotion; cast one of them first)",
                () -> OpChecks.elementwise("add", f32(2, 3), of(DType.FLOAT64, 3)));
        refused(
                "greater: a is INT32 [] and b is INT64 []; accepted: operands of one dtype (no implicit"
                        + " promotion; cast one of them first)",
                () -> OpChecks.elementwise("greater", of(DType.INT32), of(DType.INT64)));
        // the dtype is checked before the shapes
        refused(
                "mul: a is FLOAT64 [2] and b is FLOAT32 [3]; accepted: operands of one dtype (no implicit"
                        + " promotion; cast one of them first)",
                () -> OpChecks.elementwise("mul", of(DType.FLOAT64, 2), f32(3)));
    }

    @Test
    void whereNeedsABoolMaskAndOneDtypeAndBroadcasts() {
        assertEquals(Shape.of(3, 4), OpChecks.where(of(DType.BOOL, 3, 4), f32(4), f32(3, 1)));
        refused(
                "where: mask is FLOAT32 [3]; accepted: a BOOL mask (make one with a comparison or cast(x, BOOL))",
                () -> OpChecks.where(f32(3), f32(3), f32(3)));
        refused(
                "where: a is FLOAT32 [3] and b is FLOAT64 [3]; accepted: operands of one dtype (no implicit"
                        + " promotion; cast one of them first)",
                () -> OpChecks.where(of(DType.BOOL, 3), f32(3), of(DType.FLOAT64, 3)));
        refused(
                "where: shapes [2], [3] and [] do not broadcast (axis -1 has 2 and 3); accepted: shapes whose"
                        + " dimensions, aligned at the last axis, are equal or 1",
                () -> OpChecks.where(of(DType.BOOL, 2), f32(3), f32()));
    }

    @Test
    void randomDrawsNeedAFloatingDtypeAndAnInt64PairSeed() {
        OpChecks.random("randomNormal", DType.FLOAT64, of(DType.INT64, 2));
        refused(
                "randomNormal: dtype is INT32; accepted: FLOAT32 or FLOAT64 (draws are floating)",
                () -> OpChecks.random("randomNormal", DType.INT32, of(DType.INT64, 2)));
        refused(
                "randomUniform: seed is INT64 [3]; accepted: an INT64 seed of shape [2]",
                () -> OpChecks.random("randomUniform", DType.FLOAT32, of(DType.INT64, 3)));
        refused(
                "randomUniform: seed is INT32 [2]; accepted: an INT64 seed of shape [2]",
                () -> OpChecks.random("randomUniform", DType.FLOAT32, of(DType.INT32, 2)));
    }

    @Test
    void valuesMustFillTheShape() {
        OpChecks.values("constant", 6, Shape.of(2, 3));
        refused(
                "constant: 5 values for shape [2, 3]; accepted: exactly 6 values",
                () -> OpChecks.values("constant", 5, Shape.of(2, 3)));
    }

    @Test
    void axesAreNormalisedAndRangeChecked() {
        assertEquals(1, OpChecks.axis("softmax", Shape.of(2, 3), -1));
        refused(
                "softmax: axis 2 for shape [2, 3]; accepted: an axis in -2 to 1",
                () -> OpChecks.axis("softmax", Shape.of(2, 3), 2));
        refused(
                "gather: axis 0 for shape []; accepted: no axis (the input is a scalar)",
                () -> OpChecks.axis("gather", Shape.scalar(), 0));
        assertArrayEquals(
                new int[] {0, 1, 2}, OpChecks.reductionAxes("sum", Shape.of(2, 3, 4), new int[0]));
        assertArrayEquals(
                new int[] {0, 2},
                OpChecks.reductionAxes("sum", Shape.of(2, 3, 4), new int[] {-1, 0}));
        refused(
                "mean: axes [0, -2] name axis 0 of shape [2, 3] twice; accepted: distinct axes, each in -2 to 1",
                () -> OpChecks.reductionAxes("mean", Shape.of(2, 3), new int[] {0, -2}));
        refused(
                "max: axes [3] for shape [2, 3]; accepted: distinct axes, each in -2 to 1",
                () -> OpChecks.reductionAxes("max", Shape.of(2, 3), new int[] {3}));
    }

    @Test
    void transposeNeedsAPermutation() {
        assertArrayEquals(
                new int[] {2, 0, 1}, OpChecks.transpose(Shape.of(2, 3, 4), new int[] {-1, 0, 1}));
        assertArrayEquals(new int[0], OpChecks.transpose(Shape.scalar(), new int[0]));
        String accepted =
                "; accepted: a permutation of 0 to 1, one entry per axis (negative entries count from the end)";
        refused(
                "transpose: perm [0, 0] for shape [2, 3]" + accepted,
                () -> OpChecks.transpose(Shape.of(2, 3), new int[] {0, 0}));
        refused(
                "transpose: perm [0] for shape [2, 3]" + accepted,
                () -> OpChecks.transpose(Shape.of(2, 3), new int[] {0}));
        refused(
                "transpose: perm [0, 1, 2] for shape [2, 3]" + accepted,
                () -> OpChecks.transpose(Shape.of(2, 3), new int[] {0, 1, 2}));
        refused(
                "transpose: perm [2, 0] for shape [2, 3]" + accepted,
                () -> OpChecks.transpose(Shape.of(2, 3), new int[] {2, 0}));
    }

    @Test
    void reshapeInfersOneDimensionAndKeepsTheSize() {
        Shape s = Shape.of(2, 3, 4);
        assertArrayEquals(new long[] {4, 6}, OpChecks.reshape(s, new long[] {4, -1}));
        assertArrayEquals(new long[] {24}, OpChecks.reshape(s, new long[] {-1}));
        assertArrayEquals(new long[] {1, 24, 1}, OpChecks.reshape(s, new long[] {1, 24, 1}));
        assertArrayEquals(new long[] {0, 3}, OpChecks.reshape(Shape.of(3, 0), new long[] {0, 3}));
        assertArrayEquals(new long[0], OpChecks.reshape(Shape.of(1, 1), new long[0]));
        String accepted =
                "; accepted: dimensions >= 0 whose product is 24, one of them may be -1 (inferred)";
        refused(
                "reshape: dims [5, -1] for shape [2, 3, 4]" + accepted,
                () -> OpChecks.reshape(s, new long[] {5, -1}));
        refused(
                "reshape: dims [4, 5] for shape [2, 3, 4]" + accepted,
                () -> OpChecks.reshape(s, new long[] {4, 5}));
        refused(
                "reshape: dims [-1, 2, -1] for shape [2, 3, 4]" + accepted,
                () -> OpChecks.reshape(s, new long[] {-1, 2, -1}));
        refused(
                "reshape: dims [-2, -12] for shape [2, 3, 4]" + accepted,
                () -> OpChecks.reshape(s, new long[] {-2, -12}));
        refused(
                "reshape: dims [-1, 0] for shape [0, 3]; accepted: dimensions >= 0 whose product is 0, one of them"
                        + " may be -1 (inferred)",
                () -> OpChecks.reshape(Shape.of(0, 3), new long[] {-1, 0}));
    }

    @Test
    void sliceStaysInsideEachAxis() {
        Shape s = Shape.of(3, 4, 5);
        assertArrayEquals(
                new long[] {2, 4, 2},
                OpChecks.slice(s, new long[] {1, 0, 2}, new long[] {2, -1, 2}));
        assertArrayEquals(
                new long[] {0, 0, 0},
                OpChecks.slice(s, new long[] {3, 4, 5}, new long[] {-1, 0, -1}));
        refused(
                "slice: begin 2 and size 3 on axis 1 of shape [3, 4, 5]; accepted: 0 <= begin <= 4 and size -1 (to"
                        + " the end) or 0 <= size <= 4 - begin",
                () -> OpChecks.slice(s, new long[] {0, 2, 0}, new long[] {1, 3, 1}));
        refused(
                "slice: begin 6 and size -1 on axis 2 of shape [3, 4, 5]; accepted: 0 <= begin <= 5 and size -1 (to"
                        + " the end) or 0 <= size <= 5 - begin",
                () -> OpChecks.slice(s, new long[] {0, 0, 6}, new long[] {1, 1, -1}));
        refused(
                "slice: begin -1 and size 1 on axis 0 of shape [3, 4, 5]; accepted: 0 <= begin <= 3 and size -1 (to"
                        + " the end) or 0 <= size <= 3 - begin",
                () -> OpChecks.slice(s, new long[] {-1, 0, 0}, new long[] {1, 1, 1}));
        refused(
                "slice: begin [0, 0] and size [1, 1] for shape [3, 4, 5]; accepted: one begin and one size per axis"
                        + " (3 each)",
                () -> OpChecks.slice(s, new long[] {0, 0}, new long[] {1, 1}));
    }

    @Test
    void concatNeedsPartsThatFit() {
        assertEquals(1, OpChecks.concat(List.of(f32(2, 1), f32(2, 3)), -1));
        assertEquals(0, OpChecks.concat(List.of(f32(2, 3)), 0));
        refused(
                "concat: parts is empty; accepted: at least one tensor",
                () -> OpChecks.concat(List.of(), 0));
        refused(
                "concat: part 0 is FLOAT32 [2, 3] and part 1 is FLOAT64 [1, 3]; accepted: operands of one dtype (no"
                        + " implicit promotion; cast one of them first)",
                () -> OpChecks.concat(List.of(f32(2, 3), of(DType.FLOAT64, 1, 3)), 0));
        refused(
                "concat: part 0 has shape [2, 3] and part 2 has shape [1, 4] (axis 0); accepted: parts of one rank"
                        + " whose dimensions agree except on axis 0",
                () -> OpChecks.concat(List.of(f32(2, 3), f32(1, 3), f32(1, 4)), 0));
        refused(
                "concat: part 0 has shape [2, 3] and part 1 has shape [2] (axis -1); accepted: parts of one rank"
                        + " whose dimensions agree except on axis 1",
                () -> OpChecks.concat(List.of(f32(2, 3), f32(2)), -1));
        refused(
                "concat: axis 2 for shape [2, 3]; accepted: an axis in -2 to 1",
                () -> OpChecks.concat(List.of(f32(2, 3)), 2));
    }

    @Test
    void matmulChecksRanksInnerAndBatchDimensions() {
        assertEquals(Shape.of(3, 5), OpChecks.matmul(f32(3, 4), f32(4, 5)));
        assertEquals(Shape.of(2, 3, 3, 2), OpChecks.matmul(f32(2, 1, 3, 4), f32(3, 4, 2)));
        assertEquals(Shape.of(2, 1, 3), OpChecks.matmul(f32(1, 4), f32(2, 4, 3)));
        String accepted = "; accepted: operands of rank >= 2, [..., n, k] x [..., k, m]";
        refused(
                "matmul: a has shape [4] (rank 1)" + accepted,
                () -> OpChecks.matmul(f32(4), f32(4, 5)));
        refused(
                "matmul: b has shape [] (rank 0)" + accepted,
                () -> OpChecks.matmul(f32(3, 4), f32()));
        refused(
                "matmul: a has shape [3, 4] and b has shape [5, 2] (inner dimensions 4 and 5)"
                        + accepted,
                () -> OpChecks.matmul(f32(3, 4), f32(5, 2)));
        refused(
                "matmul: a has shape [2, 3, 4] and b has shape [3, 4, 5] (batch dimensions [2] and [3] do not"
                        + " broadcast)"
                        + accepted
                        + ", batch dimensions that broadcast",
                () -> OpChecks.matmul(f32(2, 3, 4), f32(3, 4, 5)));
        refused(
                "matmul: a is FLOAT32 [3, 4] and b is FLOAT64 [4, 5]; accepted: operands of one dtype (no implicit"
                        + " promotion; cast one of them first)",
                () -> OpChecks.matmul(f32(3, 4), of(DType.FLOAT64, 4, 5)));
    }

    @Test
    void lookupsNeedIntegerIndices() {
        assertEquals(1, OpChecks.gather(f32(3, 5), of(DType.INT32, 4), -1));
        refused(
                "gather: indices are FLOAT32 [4]; accepted: INT32 or INT64 indices",
                () -> OpChecks.gather(f32(3, 5), f32(4), 0));
        refused(
                "gather: axis 2 for shape [3, 5]; accepted: an axis in -2 to 1",
                () -> OpChecks.gather(f32(3, 5), of(DType.INT64, 4), 2));
        OpChecks.oneHot(of(DType.INT64, 2), 0);
        refused(
                "oneHot: indices are BOOL [2]; accepted: INT32 or INT64 indices",
                () -> OpChecks.oneHot(of(DType.BOOL, 2), 3));
        refused(
                "oneHot: depth is -1; accepted: depth >= 0",
                () -> OpChecks.oneHot(of(DType.INT32, 2), -1));
    }

    @Test
    void assignKeepsTheVariablesShapeAndDtype() {
        Variable v =
                new Variable() {
                    @Override
                    public String name() {
                        return "w";
                    }

                    @Override
                    public Shape shape() {
                        return Shape.of(2);
                    }

                    @Override
                    public DType dtype() {
                        return DType.FLOAT32;
                    }

                    @Override
                    public boolean trainable() {
                        return true;
                    }

                    @Override
                    public double[] toDoubles() {
                        return new double[2];
                    }

                    @Override
                    public void assign(double[] values) {}
                };
        OpChecks.assign(v, f32(2));
        refused(
                "assign: value is FLOAT64 [2] for variable 'w' of FLOAT32 [2]; accepted: a value of the variable's"
                        + " dtype and shape",
                () -> OpChecks.assign(v, of(DType.FLOAT64, 2)));
        refused(
                "assign: value is FLOAT32 [1, 2] for variable 'w' of FLOAT32 [2]; accepted: a value of the variable's"
                        + " dtype and shape",
                () -> OpChecks.assign(v, f32(1, 2)));
    }

    @Test
    void differentiationNeedsFloatingTensorsAndAOneElementResult() {
        OpChecks.differentiable(List.of(f32(3), of(DType.FLOAT64)));
        OpChecks.differentiatedValue(f32());
        OpChecks.differentiatedValue(f32(1, 1));
        refused(
                "valueAndGradients: at[1] is INT64 [3]; accepted: FLOAT32 or FLOAT64 tensors (only those can be"
                        + " differentiated)",
                () -> OpChecks.differentiable(List.of(f32(3), of(DType.INT64, 3))));
        refused(
                "valueAndGradients: the function returned FLOAT32 [3]; accepted: a FLOAT32 or FLOAT64 tensor with one"
                        + " element",
                () -> OpChecks.differentiatedValue(f32(3)));
        refused(
                "valueAndGradients: the function returned null; accepted: a FLOAT32 or FLOAT64 tensor with one"
                        + " element",
                () -> OpChecks.differentiatedValue(null));
    }
}
