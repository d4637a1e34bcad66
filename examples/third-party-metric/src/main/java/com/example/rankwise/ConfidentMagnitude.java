package com.example.rankwise;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.Posterior;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A third-party importance metric: how far a weight is confidently away from zero, s = max(|m| −
 * z·σ, 0), the distance of the lower end of a z-sigma interval from zero. A weight whose interval
 * covers zero scores 0, however large its mean.
 *
 * <p>One class is both the provider (found by ServiceLoader through one line in
 * META-INF/services/io.rankwise.api.spi.ImportanceMetricProvider) and the metric.
 */
public final class ConfidentMagnitude implements ImportanceMetricProvider, ImportanceMetric {
    /**
     * The one option, declared once: name, default, range and meaning. Rankwise parses and checks
     * configured values against it (and lists it in {@code rankwise plugins} and {@code rankwise
     * train --help}) before {@link #create} sees them.
     */
    static final Option<Double> Z =
            Option.number("z", 2.0, "width of the interval in standard deviations").above(0);

    private final double z;

    /** The provider, as ServiceLoader makes it. */
    public ConfidentMagnitude() {
        this(Z.defaultValue());
    }

    private ConfidentMagnitude(double z) {
        this.z = z;
    }

    @Override
    public String name() {
        return "confident-magnitude";
    }

    @Override
    public String description() {
        return "max(|m| - z sigma, 0): how far a weight is confidently from zero (example plugin)";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(Z);
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.POSTERIOR);
    }

    @Override
    public ImportanceMetric create(Options options) {
        return new ConfidentMagnitude(options.get(Z)); // already parsed and checked against Z
    }

    @Override
    public Schedule schedule() {
        return Schedule.MASKING_STEPS;
    }

    @Override
    public Tensor scores(Ops ops, Variable parameter, Optional<Posterior> posterior) {
        Posterior q = posterior.orElseThrow();
        Tensor lower = ops.sub(ops.abs(q.mean(ops, parameter)), ops.mul(q.std(ops, parameter), z));
        return ops.maximum(lower, ops.zeros(io.rankwise.api.Shape.scalar(), lower.dtype()));
    }
}
