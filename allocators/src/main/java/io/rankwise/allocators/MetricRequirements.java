package io.rankwise.allocators;

import io.rankwise.api.optim.Capability;
import io.rankwise.api.spi.OptimizerProvider;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/** Refuses a metric paired with an optimizer that lacks what the metric needs, before training. */
public final class MetricRequirements {
    private MetricRequirements() {}

    /**
     * Checks that {@code offered} covers {@code required}.
     *
     * @param candidates the optimizers that could be chosen instead, named in the refusal when they
     *     offer what the metric needs (empty: none are suggested)
     * @throws IllegalArgumentException naming the metric, the optimizer, what is missing and the
     *     candidates that would do
     */
    public static void check(
            String metric,
            Set<Capability> required,
            String optimizer,
            Set<Capability> offered,
            Collection<OptimizerProvider> candidates) {
        if (offered.containsAll(required)) {
            return;
        }
        Set<Capability> missing =
                required.stream().filter(c -> !offered.contains(c)).collect(Collectors.toSet());
        String wouldDo =
                candidates.stream()
                        .filter(p -> p.capabilities().containsAll(required))
                        .map(OptimizerProvider::name)
                        .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "metric '"
                        + metric
                        + "' needs "
                        + describe(missing)
                        + ", which optimizer '"
                        + optimizer
                        + "' does not offer"
                        + (wouldDo.isEmpty() ? "" : "; optimizers that would do: " + wouldDo));
    }

    private static String describe(Set<Capability> missing) {
        return missing.stream()
                .map(
                        c ->
                                c == Capability.POSTERIOR
                                        ? "a posterior (mean and sigma per weight)"
                                        : "gradients")
                .sorted()
                .collect(Collectors.joining(" and "));
    }
}
