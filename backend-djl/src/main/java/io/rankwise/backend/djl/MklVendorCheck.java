package io.rankwise.backend.djl;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import io.rankwise.api.spi.Option;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets Intel MKL, the BLAS statically linked into DJL's libtorch for x86-64, choose its matrix
 * kernels by what the CPU can do rather than by who made it.
 *
 * <p>MKL asks {@code mkl_serv_intel_cpu_true()} whether the processor is an Intel one and, when it
 * is not, runs its generic SSE2 code path whatever the CPU supports. On the AMD EPYC (Zen 5, with
 * AVX-512) of the machine this project is developed on, PyTorch's float32 matmul of the MiniLM
 * step's largest shape ran at 165–195 GFLOP/s against 390–410 with the check answered yes, and the
 * training step took 0.89 s against 0.55 s (TensorFlow, whose oneDNN dispatches by CPU features,
 * ran the same matmul at 364). MKL still checks which instruction sets the CPU has, so answering
 * yes selects the best path the CPU really supports.
 *
 * <p>Before libtorch loads, this writes a tiny library exporting {@code mkl_serv_intel_cpu_true}
 * returning 1 ({@link ConstantFunctionLibrary}) and loads it with {@code RTLD_GLOBAL}: libtorch's
 * calls to the function go through its procedure linkage table, which the dynamic loader resolves
 * in the global scope first, so they reach this definition instead of MKL's own. It does so only on
 * Linux x86-64, only when the CPU's vendor is not {@code GenuineIntel} (Intel CPUs already get
 * MKL's best path), and unless {@code -Drankwise.djl.mkl_any_vendor=false}. Whether it worked is
 * read back from MKL itself: {@code mkl_serv_cpu_detect()} names the code path MKL chose, 0 being
 * the generic one ({@link #codePath()}, shown in the backend's description).
 */
final class MklVendorCheck {
    /** The JVM system property that turns this off. */
    static final Option<Boolean> ANY_VENDOR =
            Option.bool(
                    "rankwise.djl.mkl_any_vendor",
                    true,
                    "on non-Intel x86-64 CPUs (AMD), let libtorch's Intel MKL use the fastest"
                            + " kernels the CPU supports instead of its generic SSE2 path; a JVM"
                            + " system property (-D), read when the engine loads");

    /** MKL's answer to "is this an Intel CPU?", the function this stands in for. */
    static final String FUNCTION = "mkl_serv_intel_cpu_true";

    private static final Logger LOG = LoggerFactory.getLogger(MklVendorCheck.class);
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    private static final int RTLD_LAZY = 0x1;

    /** Only a handle to a library already loaded: the probe must not load or promote anything. */
    private static final int RTLD_NOLOAD = 0x4;

    /** The loaded stand-in, held so that it is never closed; null until loaded. */
    private static NativeLibrary standIn;

    private static boolean attempted;

    private MklVendorCheck() {}

    /**
     * Loads the stand-in once per process when {@link #applies} says so; a failure is logged (the
     * backend still works, with MKL's generic kernels), not thrown.
     *
     * @throws IllegalArgumentException when {@code -Drankwise.djl.mkl_any_vendor} is not a boolean
     */
    static synchronized void beforeEngineLoads() {
        boolean enabled =
                ANY_VENDOR.parse(
                        DjlBackendProvider.NAME, System.getProperty(ANY_VENDOR.name(), "true"));
        if (attempted) {
            return;
        }
        attempted = true;
        String vendor = cpuVendor().orElse("");
        if (!applies(System.getProperty("os.name"), System.getProperty("os.arch"), vendor)
                || !enabled) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (Path dir : candidateFolders()) {
            try {
                standIn = load(dir);
                return;
            } catch (IOException | UnsatisfiedLinkError e) {
                failures.add(dir + ": " + e.getMessage());
            }
        }
        LOG.warn(
                "djl: could not load the stand-in for MKL's vendor check, so libtorch's matrix"
                        + " products run MKL's generic code path on this {} CPU (about half speed"
                        + " where the CPU has AVX-512); tried {}",
                vendor,
                failures);
    }

    /**
     * Whether the stand-in is needed: Linux on x86-64 with a CPU whose vendor is known and not
     * Intel.
     */
    static boolean applies(String osName, String osArch, String vendor) {
        boolean linux = osName != null && osName.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x86 = "amd64".equals(osArch) || "x86_64".equals(osArch);
        return linux && x86 && !vendor.isEmpty() && !"GenuineIntel".equals(vendor);
    }

    /** The {@code vendor_id} of /proc/cpuinfo's first processor, if readable. */
    static Optional<String> cpuVendor() {
        try {
            return vendorOf(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first {@code vendor_id : X} line's X. */
    static Optional<String> vendorOf(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("vendor_id")) {
                int colon = line.indexOf(':');
                if (colon >= 0) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * MKL's code path in this process, {@code mkl_serv_cpu_detect()} of the loaded libtorch: 0 for
     * the generic SSE2 path, higher for wider instruction sets (7 on an AVX-512 CPU); empty when
     * libtorch is not loaded, has no MKL, or the platform is not Linux.
     */
    static Optional<Integer> codePath() {
        return LoadedLibtorch.function("mkl_serv_cpu_detect")
                .map(detect -> detect.invokeInt(new Object[0]));
    }

    /** Whether this process loaded the stand-in. */
    static synchronized boolean loaded() {
        return standIn != null;
    }

    /**
     * Where the stand-in may be written: the JVM's temporary folder, then DJL's cache (a temporary
     * folder mounted noexec refuses to map code).
     */
    private static List<Path> candidateFolders() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(System.getProperty("java.io.tmpdir")));
        dirs.add(ai.djl.util.Utils.getCacheDir());
        return dirs;
    }

    /**
     * Writes the stand-in into {@code dir}, loads it into the global scope and deletes the file
     * (the mapping stays).
     */
    private static NativeLibrary load(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "rankwise-mkl-", ".so");
        try {
            Files.write(file, ConstantFunctionLibrary.bytes(FUNCTION, 1));
            NativeLibrary library =
                    NativeLibrary.getInstance(
                            file.toString(),
                            Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL));
            library.getFunction(FUNCTION); // fails here, not in MKL, if the symbol is missing
            return library;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
