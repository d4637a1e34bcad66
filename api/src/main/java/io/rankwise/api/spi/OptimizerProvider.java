package io.rankwise.api.spi;

import io.rankwise.api.optim.Optimizer;
import java.util.Map;

/** Makes an {@link Optimizer}. Listed in {@code META-INF/services/io.rankwise.api.spi.OptimizerProvider}. */
public interface OptimizerProvider extends Plugin {

    /** What the optimizers it makes offer (a posterior, gradients), known before creating one. */
    java.util.Set<io.rankwise.api.optim.Capability> capabilities();

    /**
     * Makes the optimizer from options (text values, keyed as {@link #options()} lists them).
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted range, or an
     *     unknown option together with the known ones
     */
    Optimizer create(Map<String, String> options);
}
