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

    /**
     * As {@link #create(Device)}, with the engine's compute threads limited to {@code threads} (the
     * CPU cores a cluster executor granted the run); {@code 0} keeps the backend's defaults (for
     * the built-in backends, the cores the process may use: README "Threads"). Engines whose thread
     * pools are per process take the first limit asked for in the process and keep it. This default
     * ignores the limit, for engines that cannot set one.
     *
     * @throws IllegalArgumentException if the device cannot be used, or {@code threads < 0}
     */
    default Backend create(Device device, int threads) {
        checkThreads(name(), threads);
        return create(device);
    }

    /**
     * The check every {@link #create(Device, int)} makes first.
     *
     * @throws IllegalArgumentException naming the backend and the value when {@code threads < 0}
     */
    static void checkThreads(String backend, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException(
                    backend + ": threads is " + threads + "; accepted: 0 (engine default) or more");
        }
    }
}
