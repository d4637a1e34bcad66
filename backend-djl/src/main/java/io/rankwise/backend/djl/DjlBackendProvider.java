package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Option;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code djl} backend plugin: DJL's PyTorch engine, eager, on the CPU or a CUDA GPU.
 * Constructing it is free; {@link #create} loads libtorch (extracted to {@code ~/.djl.ai} on first
 * use).
 *
 * <p>Threads (README "Threads"): intra-op threads are the cores this process may use ({@link
 * Runtime#availableProcessors()}, which honours cgroup CPU quotas and affinity masks), at most
 * PyTorch's own default (its physical cores, or {@code OMP_NUM_THREADS}), unless the run was
 * granted a number of cores, or {@code -Dai.djl.pytorch.num_threads} or {@code OMP_NUM_THREADS}
 * sets them. The inter-op pool gets one thread unless {@code -Dai.djl.pytorch.num_interop_threads}
 * says otherwise: eager ops run on the calling thread, and PyTorch uses that pool only for work
 * forked inside TorchScript, which this backend never runs, so more threads there would only wait.
 *
 * <p>OpenMP, whose threads run PyTorch's intra-op work on Linux, spins while it waits unless the
 * environment variable {@code OMP_WAIT_POLICY=PASSIVE} was set before libtorch loaded; spinning
 * threads take the cores of whatever runs beside them. It is an environment variable, not a
 * property, so the launcher and the build set it; a library user sets it before starting the JVM,
 * and {@link #create} logs one warning when it is missing.
 *
 * <p>On x86-64 CPUs not made by Intel, {@link MklVendorCheck} lets libtorch's Intel MKL use the
 * kernels the CPU supports (on AMD it otherwise runs its generic path at about half the speed), and
 * {@link MklStrictReproducibility} makes its matrix products independent of the thread count.
 */
public final class DjlBackendProvider implements BackendProvider {
    /** The plugin name. */
    public static final String NAME = "djl";

    private static final Logger LOG = LoggerFactory.getLogger(DjlBackendProvider.class);

    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    private static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    /** Whether the missing OMP_WAIT_POLICY was reported: once per process. */
    private static final AtomicBoolean WAIT_POLICY_REPORTED = new AtomicBoolean();

    /** PyTorch's intra-op threads as the engine chose them at load, before any change: 0 unread. */
    private static volatile int engineDefaultThreads;

    private static final List<Option<?>> OPTIONS =
            List.of(
                    Option.integer(
                                    THREADS_PROPERTY,
                                    "intra-op threads; a JVM system property (-D), read when a backend is created")
                            .atLeast(1)
                            .optional("the cores the process may use"),
                    Option.integer(
                                    INTEROP_PROPERTY,
                                    "inter-op threads; a JVM system property (-D), read when the engine loads")
                            .atLeast(1)
                            .optional("1"),
                    MklVendorCheck.ANY_VENDOR,
                    MklStrictReproducibility.STRICT);

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
     * Loads the engine if needed and sets PyTorch's intra-op threads (process-wide, applied to
     * every thread that computes from then on) to {@code threads} when it is above 0, else to the
     * default of the class comment. A run granted n cores then keeps n threads busy, not n plus a
     * pool per core of the machine.
     *
     * @throws IllegalArgumentException for a GPU the engine cannot use (naming the missing step),
     *     {@code threads < 0}, or a {@code -Dai.djl.pytorch.num_threads} that is not an integer >=
     *     1
     * @throws IllegalStateException when a -Pgpu build cannot fetch libtorch, saying how to give it
     */
    @Override
    public Backend create(Device device, int threads) {
        BackendProvider.checkThreads(NAME, threads);
        String property = System.getProperty(THREADS_PROPERTY);
        int configured = threadsProperty(property);
        reportSpinningOpenMp(System.getenv("OMP_WAIT_POLICY"));
        if (System.getProperty(INTEROP_PROPERTY) == null) {
            // Read once, when the engine loads; later backends in this process keep the first.
            System.setProperty(INTEROP_PROPERTY, "1");
        }
        MklVendorCheck.beforeEngineLoads();
        Engine engine = loadEngine();
        MklStrictReproducibility.afterEngineLoads();
        if (engineDefaultThreads == 0 && configured == 0) {
            // With the property set, DJL applied it at load: what it reads is not PyTorch's choice.
            engineDefaultThreads = JniUtils.getNumThreads();
        }
        int intra =
                intraOpThreads(
                        threads,
                        configured,
                        System.getenv("OMP_NUM_THREADS"),
                        Runtime.getRuntime().availableProcessors(),
                        engineDefaultThreads);
        if (JniUtils.getNumThreads() != intra) {
            JniUtils.setNumThreads(intra);
        }
        return new DjlBackend(engine, DeviceChoice.resolve(engine, device));
    }

    /** PyTorch's own intra-op default as read at the first {@link #create}, 0 before. */
    static int engineDefaultThreads() {
        return engineDefaultThreads;
    }

    /**
     * The intra-op threads to use: the grant of the run, else the system property, else {@code
     * OMP_NUM_THREADS} (as PyTorch reads it), else the cores the process may use, at most {@code
     * engineDefault} (PyTorch counts physical cores; {@code availableProcessors} counts hardware
     * threads but honours a container's quota, so the smaller of the two fits both).
     */
    static int intraOpThreads(
            int granted, int configured, String ompNumThreads, int available, int engineDefault) {
        if (granted > 0) {
            return granted;
        }
        if (configured > 0) {
            return configured;
        }
        int omp = leadingCount(ompNumThreads);
        if (omp > 0) {
            return omp;
        }
        return Math.max(1, engineDefault > 0 ? Math.min(available, engineDefault) : available);
    }

    /**
     * The value of {@code -Dai.djl.pytorch.num_threads}, 0 when unset.
     *
     * @throws IllegalArgumentException naming the property and its value when it is not an integer
     *     >= 1
     */
    static int threadsProperty(String text) {
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
                NAME
                        + ": system property "
                        + THREADS_PROPERTY
                        + " is '"
                        + text
                        + "'; accepted: an integer >= 1");
    }

    /**
     * The first count of an OpenMP thread list ({@code 4} or {@code 4,2}), 0 when absent or not a
     * positive integer (OpenMP ignores such a value too).
     */
    static int leadingCount(String ompNumThreads) {
        if (ompNumThreads == null) {
            return 0;
        }
        String first = ompNumThreads.split(",", 2)[0].trim();
        try {
            return Math.max(0, Integer.parseInt(first));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Logs once per process that OpenMP will spin, when OMP_WAIT_POLICY is not set. */
    static void reportSpinningOpenMp(String waitPolicy) {
        if (waitPolicy == null && WAIT_POLICY_REPORTED.compareAndSet(false, true)) {
            LOG.warn(
                    "djl: OMP_WAIT_POLICY is not set, so PyTorch's OpenMP threads spin while they"
                            + " wait and slow down whatever runs beside this process (and this"
                            + " process beside it); export OMP_WAIT_POLICY=PASSIVE before the JVM"
                            + " starts (./rankwise and the build's tests do)");
        }
    }

    /**
     * The engine, loaded on first use; a -Pgpu build that cannot fetch libtorch fails naming the
     * missing step (the cause, often DJL's offline mode or no network, stays attached).
     */
    private static Engine loadEngine() {
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            String reason = Natives.find().loadFailureReason();
            if (reason == null) {
                throw e;
            }
            throw new IllegalStateException(NAME + ": " + reason, e);
        }
    }
}
