package io.rankwise.api.spi;

import io.rankwise.api.optim.Optimizer;
import java.util.Map;

/**
 * Makes an {@link Optimizer}. Listed in {@code
 * META-INF/services/io.rankwise.api.spi.OptimizerProvider}.
 */
public interface OptimizerProvider extends Plugin {

    /** What the optimizers it makes offer (a posterior, gradients), known before creating one. */
    java.util.Set<io.rankwise.api.optim.Capability> capabilities();

    /**
     * Makes the optimizer from its options, already parsed against {@link #options()}.
     *
     * @throws IllegalArgumentException for a combination of options the optimizer refuses
     */
    Optimizer create(Options options);

    /**
     * Parses {@code options} (typed values, or text) against {@link #options()} and makes the
     * optimizer.
     *
     * @throws IllegalArgumentException naming the option, the value and what is accepted, or an
     *     unknown option together with the known ones
     */
    default Optimizer create(Map<String, ?> options) {
        return create(Options.parse(this, options));
    }
}
