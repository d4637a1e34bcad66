package io.rankwise.backend.tensorflow;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Option;
import java.util.List;

/**
 * The {@code tensorflow} backend plugin: TensorFlow Java 1.1.0 in graph mode. Constructing it is
 * free; {@link #create} loads the natives (extracted by JavaCPP to {@code ~/.javacpp/cache} on
 * first use).
 *
 * <p>Threads: intra-op = the cores the process may use, inter-op = 1, and the pools do not spin
 * while they wait, unless the run was granted a number of cores or the JVM system properties {@code
 * rankwise.tensorflow.intra_op_threads}, {@code rankwise.tensorflow.inter_op_threads} and {@code
 * rankwise.tensorflow.thread_spinning} say otherwise (see {@code SessionConfig}). TensorFlow does
 * not use OpenMP, so {@code OMP_WAIT_POLICY} does not apply to it. TensorFlow's native log level
 * follows the environment variable {@code TF_CPP_MIN_LOG_LEVEL} (2 hides the start-up notices); it
 * must be set before the JVM starts.
 */
public final class TfBackendProvider implements BackendProvider {
    /** The plugin name. */
    public static final String NAME = "tensorflow";

    private static final List<Option<?>> OPTIONS =
            List.of(
                    Option.integer(
                                    SessionConfig.INTRA,
                                    "intra-op threads; a JVM system property (-D), read when the first backend of the process is created")
                            .atLeast(1)
                            .optional("the cores the process may use"),
                    Option.integer(
                                    SessionConfig.INTER,
                                    "inter-op threads; a JVM system property (-D), read when the first backend of the process is created")
                            .atLeast(1)
                            .optional("1"),
                    Option.bool(
                            SessionConfig.SPINNING,
                            false,
                            "whether idle pool threads spin (TensorFlow's default) instead of sleeping; a JVM system property (-D), read when the first backend of the process is created"));

    /** Cheap: the natives load in {@link #create}. */
    public TfBackendProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "TensorFlow Java graph mode: step functions traced once per input signature, one session run per call";
    }

    @Override
    public int rank() {
        return 10;
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Backend create(Device device) {
        return create(device, 0);
    }

    @Override
    public Backend create(Device device, int threads) {
        BackendProvider.checkThreads(NAME, threads);
        return new TfBackend(
                TfDevice.resolve(device, DeviceProbe.devices(SessionConfig.forProbe(threads))),
                threads);
    }
}
