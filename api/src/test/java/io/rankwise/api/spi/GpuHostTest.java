package io.rankwise.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phrase a backend's "no GPU" error takes from the machine, for each state of the driver. */
class GpuHostTest {

    @Test
    void withoutTheDriverFolderItSaysNoDriverIsLoaded(@TempDir Path dir) {
        Path absent = dir.resolve("gpus");
        assertEquals(
                "no NVIDIA driver is loaded on this machine (" + absent + " is absent)",
                GpuHost.finding(absent, null));
        assertEquals(0, GpuHost.driverGpus(absent));
    }

    @Test
    void countsTheGpusTheDriverLists(@TempDir Path gpus) throws IOException {
        Files.createDirectory(gpus.resolve("0000:01:00.0"));
        assertEquals("the NVIDIA driver lists 1 GPU", GpuHost.finding(gpus, null));
        Files.createDirectory(gpus.resolve("0000:02:00.0"));
        assertEquals(2, GpuHost.driverGpus(gpus));
        assertEquals(
                "the NVIDIA driver lists 2 GPUs (CUDA_VISIBLE_DEVICES='1')",
                GpuHost.finding(gpus, "1"));
    }

    @Test
    void anEmptyDriverFolderIsNoGpu(@TempDir Path gpus) {
        assertEquals("the NVIDIA driver is loaded but lists no GPU", GpuHost.finding(gpus, null));
    }

    @Test
    void anEmptyOrNegativeVisibleListHidesEveryGpuWhateverTheDriverSays(@TempDir Path gpus)
            throws IOException {
        Files.createDirectory(gpus.resolve("0000:01:00.0"));
        assertEquals(
                "CUDA_VISIBLE_DEVICES='' hides every GPU from CUDA", GpuHost.finding(gpus, ""));
        assertEquals(
                "CUDA_VISIBLE_DEVICES='-1' hides every GPU from CUDA", GpuHost.finding(gpus, "-1"));
    }
}
