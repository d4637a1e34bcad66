package io.rankwise.backend.tensorflow;

import io.rankwise.api.Device;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The session options of a backend: the devices it may use and its thread pools.
 *
 * <p>Threads: with a limit (the cores a cluster executor granted the run), intra-op = the limit and
 * inter-op = 1; without one, the system properties {@value #INTRA} and {@value #INTER} when set,
 * else intra-op = the cores this process may use ({@link Runtime#availableProcessors()}, which
 * honours cgroup CPU quotas, where TensorFlow's own default counts every core the affinity mask
 * allows) and inter-op = 1 (one pool thread runs the ops, each op spreads over the intra-op pool:
 * the setting Intel's TensorFlow CPU guide gives for one socket; more inter-op threads would run
 * ops side by side on the same cores).
 *
 * <p>The pools do not spin while they wait, unless {@value #SPINNING} is {@code true}: TensorFlow's
 * counterpart of {@code OMP_WAIT_POLICY=PASSIVE} (TensorFlow does not use OpenMP), so that waiting
 * threads leave the cores to whatever runs beside them.
 *
 * <p>Each session has its own inter-op pool ({@code use_per_session_threads}). The intra-op pool is
 * the process's, sized from the first session TensorFlow opens, unless the environment variable
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} gives every session its own (read once, when the first
 * session opens; the launcher and Spark's executors set it, so that cells side by side in one JVM
 * each have the threads granted to them). The GPU memory allocator is the process's too. So {@link
 * #forProbe} gives the device probe, which opens the first session, the backend's settings.
 */
final class SessionConfig {
    /** Intra-op threads (one op's parallelism). */
    static final String INTRA = "rankwise.tensorflow.intra_op_threads";

    /** Inter-op threads (ops running side by side). */
    static final String INTER = "rankwise.tensorflow.inter_op_threads";

    /** Whether the pools' threads spin while they wait (TensorFlow's default; ours is false). */
    static final String SPINNING = "rankwise.tensorflow.thread_spinning";

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
        threads(b, threads);
        return b.build();
    }

    /**
     * The options of the session that lists the devices: every device visible, and the thread and
     * memory settings of {@link #forDevice}, because this session is the process's first.
     */
    static ConfigProto forProbe(int threads) {
        ConfigProto.Builder b = ConfigProto.newBuilder();
        b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        threads(b, threads);
        return b.build();
    }

    private static void threads(ConfigProto.Builder b, int threads) {
        b.setIntraOpParallelismThreads(intra(threads));
        b.setInterOpParallelismThreads(inter(threads));
        // The session's own inter-op pool, not the process's: backends side by side in one JVM
        // (Spark cells) each keep their granted thread instead of sharing the first one's.
        b.setUsePerSessionThreads(true);
        b.setExperimental(
                ConfigProto.Experimental.newBuilder().setDisableThreadSpinning(!spinning()));
    }

    /** For {@code describe()}: the thread settings in words. */
    static String describeThreads(int threads) {
        return intra(threads)
                + " intra-op, "
                + inter(threads)
                + " inter-op ("
                + Runtime.getRuntime().availableProcessors()
                + " cores), "
                + (spinning() ? "spinning while waiting" : "not spinning while waiting");
    }

    static int intra(int threads) {
        if (threads > 0) {
            return threads;
        }
        int configured = threads(INTRA);
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    static int inter(int threads) {
        if (threads > 0) {
            return 1;
        }
        int configured = threads(INTER);
        return configured > 0 ? configured : 1;
    }

    /**
     * Whether the thread pools spin, from {@value #SPINNING}.
     *
     * @throws IllegalArgumentException naming the property and its value unless true or false
     */
    static boolean spinning() {
        String text = System.getProperty(SPINNING);
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (text.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(
                "tensorflow: system property "
                        + SPINNING
                        + " is '"
                        + text
                        + "'; accepted: true or false");
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
