package io.rankwise.api.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.RankAllocatorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WiringTest {

    /**
     * A provider that records the device it was asked for; the backend itself is not needed here.
     */
    private static final class RecordingProvider implements BackendProvider {
        final String name;
        final List<Device> created = new ArrayList<>();

        RecordingProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "records create() calls";
        }

        @Override
        public Backend create(Device device) {
            created.add(device);
            return null;
        }
    }

    @Test
    void pluginModuleBindsEveryProviderByName() {
        RecordingProvider one = new RecordingProvider("one");
        RecordingProvider two = new RecordingProvider("two");
        Plugins plugins =
                new Plugins(
                        PluginRegistry.of(
                                "backend",
                                List.<BackendProvider>of(one, two),
                                k -> null,
                                k -> null),
                        PluginRegistry.of(
                                "optimizer", List.<OptimizerProvider>of(), k -> null, k -> null),
                        PluginRegistry.of(
                                "metric",
                                List.<ImportanceMetricProvider>of(),
                                k -> null,
                                k -> null),
                        PluginRegistry.of(
                                "allocator",
                                List.<RankAllocatorProvider>of(),
                                k -> null,
                                k -> null),
                        PluginRegistry.of(
                                "adapter", List.<AdapterProvider>of(), k -> null, k -> null),
                        PluginRegistry.of(
                                "executor", List.<GridExecutorProvider>of(), k -> null, k -> null));
        Injector injector = Guice.createInjector(new PluginModule(plugins));

        Map<String, BackendProvider> all =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, BackendProvider>>() {}));
        assertEquals(Map.of("one", one, "two", two), all);
        assertSame(plugins, injector.getInstance(Plugins.class));
        assertEquals(List.of(), one.created, "binding creates no backend");
        assertEquals(List.of(), two.created);
    }
}
