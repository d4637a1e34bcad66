package io.rankwise.api.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the machine itself says about NVIDIA GPUs, whatever engine asks: for the error of a backend
 * that found no GPU, so that it can name the missing step (no driver, GPUs hidden, or GPUs the
 * engine could not use). Reads {@code /proc/driver/nvidia/gpus} (one folder per GPU while the
 * NVIDIA kernel driver is loaded) and the environment variable {@code CUDA_VISIBLE_DEVICES}; loads
 * nothing.
 */
public final class GpuHost {
    /** Where the NVIDIA kernel driver lists its GPUs on Linux. */
    static final Path DRIVER_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private GpuHost() {}

    /**
     * One phrase on the GPUs of this machine as the driver and the environment show them, e.g.
     * {@code no NVIDIA driver is loaded on this machine (/proc/driver/nvidia/gpus is absent)}.
     */
    public static String finding() {
        return finding(DRIVER_GPUS, System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    /**
     * The GPUs the NVIDIA driver lists, 0 without a driver (or on another OS): the count an engine
     * that found fewer can be compared with.
     */
    public static int driverGpus() {
        return driverGpus(DRIVER_GPUS);
    }

    /** {@link #finding()} from a given driver folder and {@code CUDA_VISIBLE_DEVICES} value. */
    static String finding(Path driverGpus, String visibleDevices) {
        // CUDA treats an empty list, and one starting with an invalid index, as "no device".
        if (visibleDevices != null
                && (visibleDevices.isBlank() || visibleDevices.trim().startsWith("-"))) {
            return "CUDA_VISIBLE_DEVICES='" + visibleDevices + "' hides every GPU from CUDA";
        }
        if (!Files.isDirectory(driverGpus)) {
            return "no NVIDIA driver is loaded on this machine (" + driverGpus + " is absent)";
        }
        int n = driverGpus(driverGpus);
        String visible =
                visibleDevices == null ? "" : " (CUDA_VISIBLE_DEVICES='" + visibleDevices + "')";
        return n == 0
                ? "the NVIDIA driver is loaded but lists no GPU" + visible
                : "the NVIDIA driver lists " + n + (n == 1 ? " GPU" : " GPUs") + visible;
    }

    static int driverGpus(Path driverGpus) {
        if (!Files.isDirectory(driverGpus)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(driverGpus)) {
            return (int) entries.count();
        } catch (IOException | SecurityException e) {
            // Unreadable: say nothing rather than fail the error message that asked.
            return 0;
        }
    }
}
