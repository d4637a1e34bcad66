package io.rankwise.api.spi;

import io.rankwise.api.adapt.RankAllocator;
import java.util.Map;

/** Makes a {@link RankAllocator}. Listed in {@code META-INF/services/io.rankwise.api.spi.RankAllocatorProvider}. */
public interface RankAllocatorProvider extends Plugin {

    /**
     * Makes the allocator from options (budget schedule keys such as {@code target_r}, {@code tinit}).
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    RankAllocator create(Map<String, String> options);
}
