package io.rankwise.allocators.adapters;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import java.util.List;

/**
 * AdaLoRA's orthogonality regulariser, as PEFT computes it (the norm is not squared):
 *
 * <pre>
 *   R = (1 / 2K) · Σ_k ( ‖Q_k Q_kᵀ − I‖_F + ‖P_kᵀ P_k − I‖_F )
 * </pre>
 *
 * added to the task loss with weight γ ({@code orth_reg_weight}).
 */
public final class OrthogonalityRegularizer {
    private OrthogonalityRegularizer() {}

    /**
     * R over adapters given as values [P, Λ, Q] each (the layout of {@link SvdLowRankAdapter}).
     *
     * @param adapters per adapter, its parameter values
     */
    public static Tensor penalty(Ops ops, List<List<Tensor>> adapters) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException(
                    "the orthogonality regulariser needs at least one adapter");
        }
        Tensor total = null;
        for (List<Tensor> values : adapters) {
            Tensor p = values.get(0);
            Tensor q = values.get(2);
            Tensor qqT = ops.matmul(q, ops.transpose(q, 1, 0));
            Tensor pTp = ops.matmul(ops.transpose(p, 1, 0), p);
            Tensor term = ops.add(frobeniusFromIdentity(ops, qqT), frobeniusFromIdentity(ops, pTp));
            total = total == null ? term : ops.add(total, term);
        }
        return ops.mul(total, 1.0 / (2 * adapters.size()));
    }

    /** ‖M − I‖_F for a square M. */
    private static Tensor frobeniusFromIdentity(Ops ops, Tensor m) {
        int n = Math.toIntExact(m.shape().dim(0));
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = 1;
        }
        Tensor identity = ops.constant(eye, m.shape(), m.dtype());
        return ops.sqrt(ops.sum(ops.square(ops.sub(m, identity))));
    }
}
