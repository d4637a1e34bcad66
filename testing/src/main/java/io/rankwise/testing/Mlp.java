package io.rankwise.testing;

import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A composed function for gradient and parity checks: a two-layer MLP with layer normalisation and
 * GELU, and a softmax cross-entropy written as −mean Σ oneHot · logSoftmax. Inputs, in order: x
 * [8,6], W1 [6,10], b1 [10], γ [10], β [10], W2 [10,4], b2 [4], labels INT64 [8].
 */
public final class Mlp {
    public static final int BATCH = 8;
    public static final int IN = 6;
    public static final int HIDDEN = 10;
    public static final int CLASSES = 4;

    /** The floating inputs (everything but the labels). */
    public static final int[] WRT = {0, 1, 2, 3, 4, 5, 6};

    private Mlp() {}

    /** Seeded inputs; float32 inputs are rounded so that both sides see the same numbers. */
    public static List<Exec.In> inputs(DType dtype, long seed) {
        HostRandom r = new HostRandom(seed);
        List<RefArray> v =
                List.of(
                        RefArray.normal(r, 0, 1, BATCH, IN),
                        RefArray.normal(r, 0, 1 / Math.sqrt(IN), IN, HIDDEN),
                        RefArray.normal(r, 0, 0.1, HIDDEN),
                        RefArray.normal(r, 1, 0.2, HIDDEN),
                        RefArray.normal(r, 0, 0.2, HIDDEN),
                        RefArray.normal(r, 0, 1 / Math.sqrt(HIDDEN), HIDDEN, CLASSES),
                        RefArray.normal(r, 0, 0.1, CLASSES));
        List<Exec.In> in = new ArrayList<>();
        for (RefArray a : v) {
            in.add(new Exec.In(dtype == DType.FLOAT32 ? a.roundToFloat32() : a, dtype));
        }
        in.add(new Exec.In(RefArray.integers(r, CLASSES, BATCH), DType.INT64));
        return in;
    }

    /** The loss with {@link Ops}. */
    public static Tensor loss(Ops ops, List<Tensor> in, DType dtype) {
        Tensor h = ops.add(ops.matmul(in.get(0), in.get(1)), in.get(2));
        Tensor a = ops.gelu(ops.layerNorm(h, in.get(3), in.get(4), 1e-5));
        Tensor logits = ops.add(ops.matmul(a, in.get(5)), in.get(6));
        Tensor logp = ops.logSoftmax(logits, -1);
        Tensor target = ops.oneHot(in.get(7), CLASSES, dtype);
        return ops.neg(ops.mean(ops.sum(ops.mul(target, logp), new int[] {-1}, false)));
    }

    /** The same loss on the reference. */
    public static double reference(List<Exec.In> in) {
        RefArray h = RefArray.matmul(in.get(0).value(), in.get(1).value()).add(in.get(2).value());
        RefArray a = h.layerNorm(in.get(3).value(), in.get(4).value(), 1e-5).map(RefArray::gelu);
        RefArray logits = RefArray.matmul(a, in.get(5).value()).add(in.get(6).value());
        RefArray logp = logits.logSoftmax(-1);
        RefArray target = in.get(7).value().oneHot(CLASSES);
        return -target.mul(logp).sumAll() / BATCH;
    }
}
