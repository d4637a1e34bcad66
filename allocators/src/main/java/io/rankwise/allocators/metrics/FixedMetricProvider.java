package io.rankwise.allocators.metrics;

import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.Options;
import java.util.Set;
import java.util.function.Supplier;

/** A provider for a metric without options. */
abstract class FixedMetricProvider implements ImportanceMetricProvider {
    private final String name;
    private final String description;
    private final Set<Capability> requires;
    private final Supplier<ImportanceMetric> factory;

    FixedMetricProvider(
            String name,
            String description,
            Set<Capability> requires,
            Supplier<ImportanceMetric> factory) {
        this.name = name;
        this.description = description;
        this.requires = requires;
        this.factory = factory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Set<Capability> requires() {
        return requires;
    }

    @Override
    public final ImportanceMetric create(Options options) {
        return factory.get(); // it declares no options, so parsing has refused any given
    }
}
