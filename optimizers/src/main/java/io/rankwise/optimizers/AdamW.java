package io.rankwise.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Capability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Adam with decoupled weight decay (AdamW), as PyTorch's AdamW that the AdaLoRA scripts use:
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) − lr · λ · θ
 * </pre>
 */
public final class AdamW extends BaseOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final List<Variable> firstMoments = new ArrayList<>();
    private final List<Variable> secondMoments = new ArrayList<>();

    /** An AdamW with the given hyperparameters (already validated by {@link AdamProvider}). */
    public AdamW(double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        super("adam", lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRADIENTS);
    }

    @Override
    void createSlots(Backend backend, Variable parameter) {
        firstMoments.add(slot(backend, parameter, "m", 0));
        secondMoments.add(slot(backend, parameter, "v", 0));
    }

    /**
     * AdamW's step inputs: scalars in the parameters' dtype, made on the host because they depend
     * on the step and the schedule.
     *
     * @param lr the learning rate
     * @param correction1 the first moment's bias correction 1 − β₁ᵗ
     * @param correction2 the second moment's bias correction 1 − β₂ᵗ
     */
    public record Inputs(Tensor lr, Tensor correction1, Tensor correction2) implements StepInputs {}

    @Override
    public Inputs stepInputs(Backend backend, long step) {
        return new Inputs(
                scalarInput(backend, learningRate()),
                scalarInput(backend, 1 - Math.pow(beta1, step)),
                scalarInput(backend, 1 - Math.pow(beta2, step)));
    }

    @Override
    public Update minimize(
            Ops ops, List<Function<List<Tensor>, Tensor>> microBatches, StepInputs stepInputs) {
        Inputs in = stepInputs.as(Inputs.class);
        Tensor lr = in.lr();
        Tensor correction1 = in.correction1();
        Tensor correction2 = in.correction2();
        List<Variable> params = parameters();
        List<Tensor> theta = params.stream().map(ops::read).toList();
        ValueAndGradients vg = meanOverMicroBatches(ops, microBatches, theta);
        List<Tensor> updated = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor g = vg.gradients().get(i);
            Tensor m =
                    ops.add(ops.mul(ops.read(firstMoments.get(i)), beta1), ops.mul(g, 1 - beta1));
            Tensor v =
                    ops.add(
                            ops.mul(ops.read(secondMoments.get(i)), beta2),
                            ops.mul(ops.square(g), 1 - beta2));
            Tensor direction =
                    ops.div(
                            ops.div(m, correction1),
                            ops.add(ops.sqrt(ops.div(v, correction2)), epsilon));
            if (weightDecay != 0) {
                direction = ops.add(direction, ops.mul(theta.get(i), weightDecay));
            }
            updated.add(ops.sub(theta.get(i), ops.mul(direction, lr)));
            ops.assign(params.get(i), updated.get(i));
            ops.assign(firstMoments.get(i), m);
            ops.assign(secondMoments.get(i), v);
        }
        return new Update(vg.value(), vg.gradients(), updated);
    }
}
