package io.rankwise.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, read from /proc (Linux). */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /** Current resident set size in MiB, or NaN where /proc is missing. */
    public static double currentMiB() {
        return read("VmRSS:");
    }

    /**
     * Peak resident set size in MiB (since the process started or the last {@link #resetPeak}), or
     * NaN where /proc is missing.
     */
    public static double peakMiB() {
        return read("VmHWM:");
    }

    /**
     * Resets the kernel's peak (VmHWM) to the current resident size, by writing 5 to
     * /proc/self/clear_refs (Linux 4.0 and later), so that {@link #peakMiB} then measures one
     * stretch of work. Returns false, changing nothing, where the file is missing or not writable
     * (another OS, a locked-down container); the peak then still counts from the process's start.
     */
    public static boolean resetPeak() {
        if (!Files.isWritable(CLEAR_REFS)) {
            return false;
        }
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static double read(String key) {
        if (!Files.exists(STATUS)) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0])
                            / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Double.NaN;
    }
}
