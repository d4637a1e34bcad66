package io.rankwise.api.spi;

import io.rankwise.api.adapt.RankAllocator;
import java.util.Map;

/**
 * Makes a {@link RankAllocator}. Listed in {@code
 * META-INF/services/io.rankwise.api.spi.RankAllocatorProvider}.
 */
public interface RankAllocatorProvider extends Plugin {

    /**
     * Makes the allocator for a run from its options (budget schedule keys such as {@code
     * target_r}, {@code tinit}), already parsed against {@link #options()}, and what the run fixes:
     * the adapters' initial rank and the number of training steps, which follow from the adapter
     * settings and the training length and so are not options.
     *
     * @param initR r₀, the initial rank of every adapter
     * @param totalSteps T, the run's training steps
     * @throws IllegalArgumentException for a schedule that does not fit the run
     */
    RankAllocator create(Options options, int initR, long totalSteps);

    /**
     * Parses {@code options} (typed values, or text) against {@link #options()} and makes the
     * allocator, as {@link #create(Options, int, long)}.
     *
     * @throws IllegalArgumentException naming a bad or unknown option, or a schedule that does not
     *     fit the run
     */
    default RankAllocator create(Map<String, ?> options, int initR, long totalSteps) {
        return create(Options.parse(this, options), initR, totalSteps);
    }
}
