package io.rankwise.allocators.metrics;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Posterior;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AdaLoRA's sensitivity with uncertainty, as PEFT's {@code RankAllocator} computes it:
 *
 * <pre>
 *   I = |θ · g|,   Ī ← β₁ Ī + (1 − β₁) I,   Ū ← β₂ Ū + (1 − β₂) |I − Ī|,   s = Ī · Ū
 * </pre>
 *
 * updated every step (θ after the optimizer step, g the gradient it used; under IVON, g is taken at
 * the sampled weights: the paper's "sensitivity with IVON").
 */
public final class Sensitivity implements ImportanceMetric {
    private final double beta1;
    private final double beta2;
    private final Map<Variable, Variable[]> state = new HashMap<>();
    private final List<Variable> allState = new ArrayList<>();

    /** With smoothing β₁ (importance) and β₂ (uncertainty), each in [0, 1). */
    public Sensitivity(double beta1, double beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    public String name() {
        return "sensitivity";
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.GRADIENTS);
    }

    @Override
    public Schedule schedule() {
        return Schedule.EVERY_STEP;
    }

    @Override
    public void attach(Backend backend, List<Variable> parameters) {
        for (Variable p : parameters) {
            int n = Math.toIntExact(p.shape().size());
            Variable importance =
                    backend.variable(
                            p.name() + "/sensitivity.exp_avg_ipt",
                            new double[n],
                            p.shape(),
                            p.dtype(),
                            false);
            Variable uncertainty =
                    backend.variable(
                            p.name() + "/sensitivity.exp_avg_unc",
                            new double[n],
                            p.shape(),
                            p.dtype(),
                            false);
            state.put(p, new Variable[] {importance, uncertainty});
            allState.add(importance);
            allState.add(uncertainty);
        }
    }

    private Variable[] stateOf(Variable parameter) {
        Variable[] s = state.get(parameter);
        if (s == null) {
            throw new IllegalStateException(
                    "sensitivity: no state for " + parameter.name() + "; attach it first");
        }
        return s;
    }

    @Override
    public void observe(Ops ops, Variable parameter, Tensor valueAfterStep, Tensor gradient) {
        Variable[] s = stateOf(parameter);
        Tensor importance = ops.abs(ops.mul(valueAfterStep, gradient));
        Tensor smoothed = ops.add(ops.mul(ops.read(s[0]), beta1), ops.mul(importance, 1 - beta1));
        Tensor uncertainty =
                ops.add(
                        ops.mul(ops.read(s[1]), beta2),
                        ops.mul(ops.abs(ops.sub(importance, smoothed)), 1 - beta2));
        ops.assign(s[0], smoothed);
        ops.assign(s[1], uncertainty);
    }

    @Override
    public Tensor scores(Ops ops, Variable parameter, Optional<Posterior> posterior) {
        Variable[] s = stateOf(parameter);
        return ops.mul(ops.read(s[0]), ops.read(s[1]));
    }

    @Override
    public List<Variable> state() {
        return List.copyOf(allState);
    }

    @Override
    public void reset() {
        for (Variable v : allState) {
            v.assign(new double[Math.toIntExact(v.shape().size())]);
        }
    }
}
