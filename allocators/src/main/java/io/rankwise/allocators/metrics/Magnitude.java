package io.rankwise.allocators.metrics;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Posterior;
import java.util.Optional;
import java.util.Set;

/**
 * The magnitude-only score s = |m|. It needs no posterior: m is the parameter's value, so it works
 * under any optimizer (under IVON it is the posterior mean).
 */
public final class Magnitude implements ImportanceMetric {
    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public Schedule schedule() {
        return Schedule.MASKING_STEPS;
    }

    @Override
    public Tensor scores(Ops ops, Variable parameter, Optional<Posterior> posterior) {
        return ops.abs(ops.read(parameter));
    }
}
