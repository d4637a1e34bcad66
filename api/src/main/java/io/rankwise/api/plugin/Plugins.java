package io.rankwise.api.plugin;

import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.RankAllocatorProvider;

/**
 * Every kind of plugin found on one class path.
 *
 * @param backends compute engines ({@code rankwise.backend} / {@code RANKWISE_BACKEND})
 * @param optimizers optimizers ({@code rankwise.optimizer})
 * @param metrics importance metrics ({@code rankwise.metric})
 * @param allocators rank allocators ({@code rankwise.allocator})
 * @param adapters adapter kinds ({@code rankwise.adapter})
 * @param executors where the cells of an ablation grid run ({@code rankwise.executor})
 */
public record Plugins(
        PluginRegistry<BackendProvider> backends,
        PluginRegistry<OptimizerProvider> optimizers,
        PluginRegistry<ImportanceMetricProvider> metrics,
        PluginRegistry<RankAllocatorProvider> allocators,
        PluginRegistry<AdapterProvider> adapters,
        PluginRegistry<GridExecutorProvider> executors) {

    /** Discovers every kind with {@link java.util.ServiceLoader} in {@code loader}. */
    public static Plugins discover(ClassLoader loader) {
        return new Plugins(
                PluginRegistry.load("backend", BackendProvider.class, loader),
                PluginRegistry.load("optimizer", OptimizerProvider.class, loader),
                PluginRegistry.load("metric", ImportanceMetricProvider.class, loader),
                PluginRegistry.load("allocator", RankAllocatorProvider.class, loader),
                PluginRegistry.load("adapter", AdapterProvider.class, loader),
                PluginRegistry.load("executor", GridExecutorProvider.class, loader));
    }

    /**
     * Discovers every kind in the plugin path's loader: the built-in providers (through its parent)
     * and those in its jars, each once. Jars that could not be used are in {@link
     * PluginPath#problems()}, beside each registry's own {@link PluginRegistry#problems()}.
     */
    public static Plugins discover(PluginPath path) {
        return discover(path.classLoader());
    }

    /** Discovers every kind on the class path of this library. */
    public static Plugins discover() {
        return discover(Plugins.class.getClassLoader());
    }
}
