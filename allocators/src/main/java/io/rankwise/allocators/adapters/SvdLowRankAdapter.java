package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.SvdAdapter;
import java.util.List;

/**
 * AdaLoRA's adapter: ΔW = P · diag(Λ) · Q · α/r₀ added to a frozen linear layer, so that y = x W₀ᵀ
 * + b + ((x Qᵀ) ⊙ Λ) Pᵀ · α/r₀. Starts with Λ = 0 and P, Q ~ N(0, 0.02²), so ΔW = 0. The scale
 * keeps r₀ after pruning (the AdaLoRA authors found rescaling by the live rank hurts).
 */
public final class SvdLowRankAdapter implements SvdAdapter {
    private final String module;
    private final int rank;
    private final double scale;
    private final Variable p;
    private final Variable lambda;
    private final Variable q;

    /**
     * Creates the variables on {@code backend}, drawing P and Q from {@code random}.
     *
     * @throws IllegalArgumentException for a non-positive size, rank or alpha
     */
    public SvdLowRankAdapter(
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
            throw new IllegalArgumentException(
                    module + ": init_r is " + rank + "; it must be >= 1");
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException(
                    module + ": lora_alpha is " + alpha + "; it must be > 0");
        }
        this.module = module;
        this.rank = rank;
        this.scale = alpha / rank;
        this.p =
                backend.variable(
                        module + ".lora_B",
                        random.normal(dOut * rank, 0, 0.02),
                        Shape.of(dOut, rank),
                        dtype,
                        true);
        this.lambda =
                backend.variable(module + ".lora_E", new double[rank], Shape.of(rank), dtype, true);
        this.q =
                backend.variable(
                        module + ".lora_A",
                        random.normal(rank * dIn, 0, 0.02),
                        Shape.of(rank, dIn),
                        dtype,
                        true);
    }

    @Override
    public String module() {
        return module;
    }

    @Override
    public List<Variable> parameters() {
        return List.of(p, lambda, q);
    }

    @Override
    public int rank() {
        return rank;
    }

    /** α / r₀. */
    public double scale() {
        return scale;
    }

    @Override
    public Variable left() {
        return p;
    }

    @Override
    public Variable singularValues() {
        return lambda;
    }

    @Override
    public Variable right() {
        return q;
    }

    /**
     * ((x Qᵀ) ⊙ (Λ · α/r₀)) Pᵀ from values [P, Λ, Q]: the scale goes onto the r values of Λ rather
     * than onto the [rows, d_out] output, so that the layer makes (and an eager engine keeps until
     * the step ends) one full-size tensor fewer.
     */
    @Override
    public Tensor delta(Ops ops, Tensor x, List<Tensor> values) {
        Tensor projected = ops.matmul(x, ops.transpose(values.get(2), 1, 0));
        Tensor weighted = ops.mul(projected, ops.mul(values.get(1), scale));
        return ops.matmul(weighted, ops.transpose(values.get(0), 1, 0));
    }
}
