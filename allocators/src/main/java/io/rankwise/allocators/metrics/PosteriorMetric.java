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
 * A stateless score of the posterior N(m, σ²), read from the optimizer only at masking steps (no
 * buffers of its own: where the Bayesian variant saves time). Element-wise s = score(m, σ); under
 * IVON m is the parameter's value and σ = 1/√(ess · (h + δ)) (docs/algorithms.md §4).
 */
abstract class PosteriorMetric implements ImportanceMetric {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.POSTERIOR);
    }

    @Override
    public final Schedule schedule() {
        return Schedule.MASKING_STEPS;
    }

    /** s(m, σ) element-wise. */
    abstract Tensor score(Ops ops, Tensor mean, Tensor std);

    @Override
    public final Tensor scores(Ops ops, Variable parameter, Optional<Posterior> posterior) {
        Posterior q =
                posterior.orElseThrow(
                        () ->
                                new IllegalStateException(
                                        name()
                                                + " needs the optimizer's posterior, and none was given"));
        return score(ops, q.mean(ops, parameter), q.std(ops, parameter));
    }
}
