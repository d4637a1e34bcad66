package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.api.Device;
import java.util.List;
import java.util.Objects;

/**
 * The {@code backend} section: which engine computes, and where.
 *
 * @param name a backend plugin's name ({@code djl}, {@code tensorflow}, …); empty: the plugin
 *     registry's default. Not checked here: the registry knows which backends were discovered and
 *     names them when this one is not among them.
 * @param device where it computes
 */
public record BackendConfig(String name, Device device) {

    /** The keys of {@code backend}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "backend",
                    "the engine and the device it computes on",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    "a backend plugin name (djl, tensorflow, ...; rankwise plugins lists them) or ''",
                                    "''",
                                    "the engine; empty: the registry's default (the highest-ranked backend that loads)"),
                            ConfigKey.of(
                                    "device",
                                    STRING,
                                    "cpu, gpu, gpu:N (N >= 0), auto",
                                    "auto",
                                    "where the backend computes; auto: a GPU when the backend finds one, else the CPU")));

    /** Requires both values. */
    public BackendConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
    }

    static BackendConfig read(SectionReader r) {
        String device = r.text("device");
        try {
            return new BackendConfig(r.text("name"), Device.parse(device));
        } catch (IllegalArgumentException e) {
            throw r.bad("device");
        }
    }

    void write(ObjectNode out) {
        out.put("name", name);
        out.put("device", device.toString());
    }

    /** This section with another backend name (one cell of an ablation). */
    public BackendConfig withName(String newName) {
        return new BackendConfig(newName, device);
    }
}
