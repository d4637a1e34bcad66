package io.rankwise.backend.tensorflow;

import io.rankwise.api.Device;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The session options of a backend: the devices it may use and its thread pools. Threads come from
 * the limit the backend was created with (intra-op = the limit, inter-op = 1), else from the system
 * properties {@value #INTRA} and {@value #INTER} when set, else TensorFlow's defaults. TensorFlow
 * sizes its CPU pools once per process, from the first session.
 */
final class SessionConfig {
    /** Intra-op threads (one op's parallelism). */
    static final String INTRA = "rankwise.tensorflow.intra_op_threads";

    /** Inter-op threads (ops running side by side). */
    static final String INTER = "rankwise.tensorflow.inter_op_threads";

    private SessionConfig() {}

    /** The options for a session on {@code device} with at most {@code threads} (0: no limit). */
    static ConfigProto forDevice(Device device, int threads) {
        ConfigProto.Builder b = ConfigProto.newBuilder();
        if (device.kind() == Device.Kind.CPU) {
            // Hide GPUs so that TensorFlow does not place ops on one by itself.
            b.putDeviceCount("GPU", 0);
        } else {
            // Only the chosen GPU is visible, as GPU:0, so default placement puts ops there;
            // soft placement keeps ops without a GPU kernel on the CPU.
            b.setGpuOptions(
                    GPUOptions.newBuilder()
                            .setVisibleDeviceList(String.valueOf(device.index()))
                            .setAllowGrowth(true));
            b.setAllowSoftPlacement(true);
        }
        int intra = threads > 0 ? threads : threads(INTRA);
        int inter = threads > 0 ? 1 : threads(INTER);
        if (intra > 0) {
            b.setIntraOpParallelismThreads(intra);
        }
        if (inter > 0) {
            b.setInterOpParallelismThreads(inter);
        }
        return b.build();
    }

    /** For {@code describe()}: the thread settings in words. */
    static String describeThreads(int threads) {
        int intra = threads > 0 ? threads : threads(INTRA);
        int inter = threads > 0 ? 1 : threads(INTER);
        return (intra > 0 ? intra + " intra-op" : "default intra-op")
                + ", "
                + (inter > 0 ? inter + " inter-op" : "default inter-op")
                + " ("
                + Runtime.getRuntime().availableProcessors()
                + " cores)";
    }

    /**
     * A thread count from a system property, 0 when unset.
     *
     * @throws IllegalArgumentException naming the property and its value when it is not an integer
     *     >= 1
     */
    private static int threads(String property) {
        String text = System.getProperty(property);
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "tensorflow: system property "
                        + property
                        + " is '"
                        + text
                        + "'; accepted: an integer >= 1");
    }
}
