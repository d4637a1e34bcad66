package io.rankwise.api.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import java.util.Map;

/**
 * Binds one run's choices from the maps that {@link PluginModule} provides. The backend is created
 * once per injector, when first asked for.
 */
public final class RunModule extends AbstractModule {
    private final RunChoice choice;

    /** Binds {@code choice}. */
    public RunModule(RunChoice choice) {
        this.choice = choice;
    }

    @Override
    protected void configure() {
        bind(RunChoice.class).toInstance(choice);
        bind(Device.class).toInstance(choice.device());
    }

    @Provides
    @Singleton
    BackendProvider backendProvider(Map<String, BackendProvider> backends) {
        return backends.get(choice.backend());
    }

    @Provides
    @Singleton
    Backend backend(BackendProvider provider, Device device) {
        return provider.create(device);
    }
}
