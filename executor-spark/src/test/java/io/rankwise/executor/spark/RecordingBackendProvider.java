package io.rankwise.executor.spark;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.backend.djl.DjlBackendProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Backend {@code recording} (tests only): records the device and threads each run asked for, one
 * line per run ({@code device threads pid startMillis}) in the file that the system property
 * {@value #LOG} names, then computes on djl's CPU. What a cell was granted by Spark (a GPU address,
 * cores) is thereby visible on a machine without GPUs.
 */
public final class RecordingBackendProvider implements BackendProvider {
    /** The system property naming the log file. */
    static final String LOG = "rankwise.test.device.log";

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String description() {
        return "tests only: records the device asked for, computes on djl's CPU";
    }

    @Override
    public int rank() {
        return -100;
    }

    @Override
    public Backend create(Device device) {
        return create(device, 0);
    }

    @Override
    public Backend create(Device device, int threads) {
        String file = System.getProperty(LOG);
        if (file != null) {
            String line =
                    device
                            + " "
                            + threads
                            + " "
                            + ManagementFactory.getRuntimeMXBean().getPid()
                            + " "
                            + System.currentTimeMillis()
                            + "\n";
            try {
                Files.writeString(
                        Path.of(file),
                        line,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DjlBackendProvider().create(Device.cpu(), threads);
    }
}
