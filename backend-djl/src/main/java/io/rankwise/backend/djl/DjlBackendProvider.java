package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
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

    private static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static final List<Option<?>> OPTIONS =
            List.of(
                    Option.integer(
                                    "ai.djl.pytorch.num_threads",
                                    "intra-op threads; a JVM system property (-D), read when the engine loads")
                            .atLeast(1)
                            .optional("engine default"),
                    Option.integer(
                                    INTEROP_PROPERTY,
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
        return create(device, 0);
    }

    /**
     * Limits PyTorch's intra-op threads to {@code threads} (process-wide, applied to every thread
     * that computes from then on) and, when the engine has not loaded yet and no {@code -D} says
     * otherwise, its inter-op pool to one thread: a run granted n cores then keeps n threads busy,
     * not n plus a spinning pool per core.
     */
    @Override
    public Backend create(Device device, int threads) {
        BackendProvider.checkThreads(NAME, threads);
        if (threads > 0 && System.getProperty(INTEROP_PROPERTY) == null) {
            // Read once, when the engine loads; later runs in this process keep the first value.
            System.setProperty(INTEROP_PROPERTY, "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        return new DjlBackend(engine, DeviceChoice.resolve(engine, device));
    }
}
