package io.rankwise.api.wiring;

import io.rankwise.api.Device;
import io.rankwise.api.plugin.Plugins;
import java.util.Objects;

/**
 * The plugins one run uses, by name, already resolved by the registry policy (configuration,
 * then system property, then environment, then rank).
 *
 * @param backend backend name, e.g. {@code djl}
 * @param device the device asked for
 * @param optimizer optimizer name, or null when the run needs none
 * @param metric importance metric name, or null
 * @param allocator rank allocator name, or null
 */
public record RunChoice(String backend, Device device, String optimizer, String metric, String allocator) {

    /** Checks the required parts. */
    public RunChoice {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(device, "device");
    }

    /**
     * Resolves the backend name by the registry policy; {@code configuredBackend} may be null.
     *
     * @throws IllegalArgumentException for an unknown name, listing the available ones
     */
    public static RunChoice resolve(Plugins plugins, String configuredBackend, Device device) {
        return new RunChoice(plugins.backends().choose(configuredBackend).name(), device, null, null, null);
    }
}
