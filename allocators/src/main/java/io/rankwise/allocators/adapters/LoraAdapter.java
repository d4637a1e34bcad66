package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import java.util.List;

/**
 * Plain LoRA, the fixed-rank baseline: ΔW = B A · α/r with B = 0 (d_out × r) and A ~ N(0, 0.02²) (r
 * × d_in) at the start, so that y = x W₀ᵀ + b + (x Aᵀ) Bᵀ · α/r.
 */
public final class LoraAdapter implements Adapter {
    private final String module;
    private final int rank;
    private final double scale;
    private final Variable a;
    private final Variable b;

    /** Creates the variables on {@code backend}, drawing A from {@code random}. */
    public LoraAdapter(
            Backend backend,
            String module,
            int dIn,
            int dOut,
            int rank,
            double alpha,
            DType dtype,
            HostRandom random) {
        if (dIn < 1 || dOut < 1) {
            throw new IllegalArgumentException(
                    module + ": layer size " + dIn + " -> " + dOut + " must be positive");
        }
        if (rank < 1) {
            throw new IllegalArgumentException(module + ": r is " + rank + "; it must be >= 1");
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException(
                    module + ": lora_alpha is " + alpha + "; it must be > 0");
        }
        this.module = module;
        this.rank = rank;
        this.scale = alpha / rank;
        this.a =
                backend.variable(
                        module + ".lora_A",
                        random.normal(rank * dIn, 0, 0.02),
                        Shape.of(rank, dIn),
                        dtype,
                        true);
        this.b =
                backend.variable(
                        module + ".lora_B",
                        new double[dOut * rank],
                        Shape.of(dOut, rank),
                        dtype,
                        true);
    }

    @Override
    public String module() {
        return module;
    }

    @Override
    public List<Variable> parameters() {
        return List.of(a, b);
    }

    @Override
    public int rank() {
        return rank;
    }

    /** (x Aᵀ) Bᵀ · α/r from values [A, B]. */
    @Override
    public Tensor delta(Ops ops, Tensor x, List<Tensor> values) {
        Tensor projected = ops.matmul(x, ops.transpose(values.get(0), 1, 0));
        return ops.mul(ops.matmul(projected, ops.transpose(values.get(1), 1, 0)), scale);
    }
}
