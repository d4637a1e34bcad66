package io.rankwise.training.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.rankwise.api.Backend;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.RankAllocatorProvider;
import io.rankwise.training.spec.RunSpec;
import java.util.Map;

/**
 * Binds one run's choices: the spec itself, and the backend, optimizer, metric, allocator and
 * adapter providers it names, taken from the maps that {@link io.rankwise.api.wiring.PluginModule}
 * binds. No I/O and no decisions beyond looking up names: {@link RunAssembly} has checked them.
 */
final class RunModule extends AbstractModule {
    private final RunSpec spec;

    RunModule(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void configure() {
        bind(RunSpec.class).toInstance(spec);
    }

    /**
     * A new backend on the spec's device, each time one is asked for (the caller closes it). A
     * blank name is the registry's choice: property, environment, then the highest rank that loads.
     */
    @Provides
    Backend backend(Plugins plugins) {
        return plugins.backends()
                .select(
                        spec.backend().name(),
                        p -> p.create(spec.backend().device(), spec.backend().threads()))
                .created();
    }

    @Provides
    @Singleton
    OptimizerProvider optimizer(Map<String, OptimizerProvider> all) {
        return all.get(spec.optimizer().name());
    }

    @Provides
    @Singleton
    ImportanceMetricProvider metric(Map<String, ImportanceMetricProvider> all) {
        return all.get(spec.metric().name());
    }

    @Provides
    @Singleton
    RankAllocatorProvider allocator(Map<String, RankAllocatorProvider> all) {
        return all.get(spec.allocator().name());
    }

    @Provides
    @Singleton
    AdapterProvider adapter(Map<String, AdapterProvider> all) {
        return all.get(spec.adapter().kind());
    }
}
