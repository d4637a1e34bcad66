package io.rankwise.api.spi;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;

/**
 * Makes a {@link Backend}. Listed in {@code META-INF/services/io.rankwise.api.spi.BackendProvider}.
 */
public interface BackendProvider extends Plugin {

    /**
     * Loads the engine's natives (first call only) and makes a backend on {@code device}.
     *
     * @throws IllegalArgumentException if the device cannot be used, saying what this backend found
     * @throws RuntimeException if the natives fail to load (the registry reports it by name)
     */
    Backend create(Device device);
}
