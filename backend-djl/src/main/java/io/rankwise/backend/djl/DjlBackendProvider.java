package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Option;
import java.util.List;

/**
 * The {@code djl} backend plugin: DJL's PyTorch engine, eager, on the CPU or a CUDA GPU.
 * Constructing it is free; {@link #create} loads libtorch (extracted to {@code ~/.djl.ai} on first
 * use).
 *
 * <p>Threads are PyTorch's defaults unless the JVM system properties {@code
 * ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads} are set before the
 * engine first loads; DJL reads them then, so they are listed as options but are set with {@code
 * -D}.
 */
public final class DjlBackendProvider implements BackendProvider {
    /** The plugin name. */
    public static final String NAME = "djl";

    private static final List<Option<?>> OPTIONS =
            List.of(
                    Option.integer(
                                    "ai.djl.pytorch.num_threads",
                                    "intra-op threads; a JVM system property (-D), read when the engine loads")
                            .atLeast(1)
                            .optional("engine default"),
                    Option.integer(
                                    "ai.djl.pytorch.num_interop_threads",
                                    "inter-op threads; a JVM system property (-D), read when the engine loads")
                            .atLeast(1)
                            .optional("engine default"));

    /** Cheap: the engine loads in {@link #create}. */
    public DjlBackendProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "DJL PyTorch engine: eager ops, autograd per call, an NDScope per step";
    }

    @Override
    public int rank() {
        return 20;
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Backend create(Device device) {
        Engine engine = Engine.getEngine("PyTorch");
        return new DjlBackend(engine, DeviceChoice.resolve(engine, device));
    }
}
