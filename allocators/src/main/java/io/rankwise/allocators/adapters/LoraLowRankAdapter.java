package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.LoraAdapter;
import java.util.List;

/**
 * Plain LoRA, the fixed-rank baseline: ΔW = B A · α/r, so that y = x W₀ᵀ + b + (x Aᵀ) Bᵀ · α/r.
 *
 * <p>Initialised as PEFT's {@code LoraLayer.reset_lora_parameters} with {@code init_lora_weights:
 * true} (huggingface/peft, {@code src/peft/tuners/lora/layer.py}): B = 0, and A with {@code
 * nn.init.kaiming_uniform_(a=√5)}, which for a fan-in of d_in is U(−1/√d_in, 1/√d_in) (gain
 * √(2/(1+a²)) = √(1/3), bound √3 · gain / √d_in). B = 0 makes ΔW = 0: the adapted model starts as
 * the base model.
 */
public final class LoraLowRankAdapter implements LoraAdapter {
    private final String module;
    private final int rank;
    private final double scale;
    private final Variable a;
    private final Variable b;

    /**
     * Creates the variables on {@code backend}, drawing A from {@code random}.
     *
     * @throws IllegalArgumentException for a non-positive size, rank or alpha
     */
    public LoraLowRankAdapter(
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
        double bound = 1 / Math.sqrt(dIn);
        this.a =
                backend.variable(
                        module + ".lora_A",
                        random.uniform(rank * dIn, -bound, bound),
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

    @Override
    public Variable a() {
        return a;
    }

    @Override
    public Variable b() {
        return b;
    }

    /** α / r. */
    @Override
    public double scale() {
        return scale;
    }

    /**
     * ((x Aᵀ) · α/r) Bᵀ from values [A, B]: the scale goes onto the [rows, r] projection rather
     * than onto the [rows, d_out] output, so that the layer makes (and an eager engine keeps until
     * the step ends) one full-size tensor fewer.
     */
    @Override
    public Tensor delta(Ops ops, Tensor x, List<Tensor> values) {
        Tensor projected = ops.mul(ops.matmul(x, ops.transpose(values.get(0), 1, 0)), scale);
        return ops.matmul(projected, ops.transpose(values.get(1), 1, 0));
    }
}
