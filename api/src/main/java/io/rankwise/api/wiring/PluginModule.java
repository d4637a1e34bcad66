package io.rankwise.api.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.Plugin;
import io.rankwise.api.spi.RankAllocatorProvider;

/**
 * Bridges the discovered plugins into Guice: a {@code Map<String, XProvider>} binding per kind,
 * keyed by provider name. Discovery happened before (in {@link Plugins}); this module only binds.
 */
public final class PluginModule extends AbstractModule {
    private final Plugins plugins;

    /** Binds what {@code plugins} found. */
    public PluginModule(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    protected void configure() {
        bind(Plugins.class).toInstance(plugins);
        bindAll(BackendProvider.class, plugins.backends());
        bindAll(OptimizerProvider.class, plugins.optimizers());
        bindAll(ImportanceMetricProvider.class, plugins.metrics());
        bindAll(RankAllocatorProvider.class, plugins.allocators());
        bindAll(AdapterProvider.class, plugins.adapters());
        bindAll(GridExecutorProvider.class, plugins.executors());
    }

    private <P extends Plugin> void bindAll(Class<P> type, PluginRegistry<P> registry) {
        MapBinder<String, P> map = MapBinder.newMapBinder(binder(), String.class, type);
        registry.byName().forEach((name, provider) -> map.addBinding(name).toInstance(provider));
    }
}
