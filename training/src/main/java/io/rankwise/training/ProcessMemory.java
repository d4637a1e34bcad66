package io.rankwise.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, read from /proc (Linux). */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set size in MiB, or NaN where /proc is missing. */
    public static double currentMiB() {
        return read("VmRSS:");
    }

    /** Peak resident set size in MiB, or NaN where /proc is missing. */
    public static double peakMiB() {
        return read("VmHWM:");
    }

    private static double read(String key) {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(status)) {
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
