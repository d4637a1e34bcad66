package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DjlBackendProviderTest {

    @Test
    void isFoundByServiceLoaderWithItsNameAndRank() {
        BackendProvider djl =
                ServiceLoader.load(BackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(p -> p.name().equals("djl"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(20, djl.rank());
        assertFalse(djl.description().isBlank());
        assertFalse(djl.options().isEmpty());
    }

    @Test
    void autoResolvesToTheCpuWithoutGpusAndDescribeSaysWhatWasFound() {
        try (Backend b = new DjlBackendProvider().create(Device.auto())) {
            assertEquals(Device.cpu(), b.device());
            String d = b.describe();
            assertTrue(
                    d.contains("PyTorch") && d.contains("GPUs usable: 0") && d.contains("threads"),
                    d);
        }
    }

    @Test
    void aMissingGpuIsRefusedNamingBackendDeviceFindingAndAlternative() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new DjlBackendProvider().create(Device.gpu(0)));
        String m = e.getMessage();
        assertTrue(
                m.contains("djl")
                        && m.contains("gpu:0")
                        && m.contains("found 0 GPUs")
                        && m.contains("use cpu"),
                m);
        // This build has the CPU natives on its class path: the message names them and the way
        // to a CUDA build (the -Pgpu build leaves them out, and then names the download instead).
        if (Natives.find().source() == Natives.Source.CLASS_PATH) {
            assertTrue(
                    m.contains("is a CPU build")
                            && m.contains("ai.djl.pytorch:pytorch-native-cpu on the class path")
                            && m.contains("-Pgpu")
                            && m.contains("PYTORCH_LIBRARY_PATH")
                            && m.contains("PYTORCH_FLAVOR=cu128"),
                    m);
        }
    }

    @Test
    void deviceChoiceWithGpusPresent() {
        Supplier<String> unused =
                () -> {
                    throw new AssertionError("only asked when no GPU is usable");
                };
        assertEquals(Device.gpu(0), DeviceChoice.resolve(Device.auto(), 2, unused).device());
        assertEquals(Device.gpu(1), DeviceChoice.resolve(Device.gpu(1), 2, unused).device());
        assertEquals(Device.cpu(), DeviceChoice.resolve(Device.cpu(), 2, unused).device());
        String m =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DeviceChoice.resolve(Device.gpu(2), 2, unused))
                        .getMessage();
        assertTrue(
                m.contains("gpu:2") && m.contains("found 2 GPUs") && m.contains("gpu:0 to gpu:1"),
                m);
    }

    @Test
    void aCudaBuildWithoutDevicesNamesWhatTheMachineSays() {
        String noDriver =
                DeviceChoice.whyNoDevice(
                        "libtorch 2.7.1 at /x", "no NVIDIA driver is loaded on this machine", 0);
        assertTrue(
                noDriver.contains("is a CUDA build")
                        && noDriver.contains("no NVIDIA driver")
                        && !noDriver.contains("libcudart"),
                noDriver);
        // A driver with GPUs but a count of 0: DJL counts through the CUDA runtime library.
        String noRuntime =
                DeviceChoice.whyNoDevice(
                        "libtorch 2.7.1 at /x", "the NVIDIA driver lists 2 GPUs", 2);
        assertTrue(
                noRuntime.contains("libcudart.so.12") && noRuntime.contains("LD_LIBRARY_PATH"),
                noRuntime);
    }

    @Test
    void intraOpThreadsFollowTheGrantThePropertyOpenMpThenTheCores() {
        assertEquals(3, DjlBackendProvider.intraOpThreads(3, 5, "7", 16, 8));
        assertEquals(5, DjlBackendProvider.intraOpThreads(0, 5, "7", 16, 8));
        assertEquals(7, DjlBackendProvider.intraOpThreads(0, 0, "7", 16, 8));
        assertEquals(4, DjlBackendProvider.intraOpThreads(0, 0, "4,2", 16, 8));
        // Hardware threads against physical cores: the smaller (8 cores, 16 threads).
        assertEquals(8, DjlBackendProvider.intraOpThreads(0, 0, null, 16, 8));
        // A container's quota of 2 cores on a host whose 32 cores PyTorch would take.
        assertEquals(2, DjlBackendProvider.intraOpThreads(0, 0, null, 2, 32));
        assertEquals(2, DjlBackendProvider.intraOpThreads(0, 0, "", 2, 0));
        assertEquals(2, DjlBackendProvider.intraOpThreads(0, 0, "many", 2, 32));
    }

    @Test
    void aBadThreadsPropertyNamesItsValueAndWhatIsAccepted() {
        assertEquals(0, DjlBackendProvider.threadsProperty(null));
        assertEquals(4, DjlBackendProvider.threadsProperty(" 4 "));
        for (String bad : List.of("0", "two")) {
            String m =
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> DjlBackendProvider.threadsProperty(bad))
                            .getMessage();
            assertEquals(
                    "djl: system property ai.djl.pytorch.num_threads is '"
                            + bad
                            + "'; accepted: an integer >= 1",
                    m);
        }
    }

    @Test
    void aBackendWithoutAGrantTakesTheCoresAndOneInterOpThread() {
        DjlBackendProvider provider = new DjlBackendProvider();
        try (Backend granted = provider.create(Device.cpu(), 1)) {
            assertEquals(1, JniUtils.getNumThreads());
        }
        try (Backend b = provider.create(Device.cpu())) {
            int expected =
                    DjlBackendProvider.intraOpThreads(
                            0,
                            DjlBackendProvider.threadsProperty(
                                    System.getProperty("ai.djl.pytorch.num_threads")),
                            System.getenv("OMP_NUM_THREADS"),
                            Runtime.getRuntime().availableProcessors(),
                            DjlBackendProvider.engineDefaultThreads());
            assertEquals(expected, JniUtils.getNumThreads(), b.describe());
            // The first backend of this JVM set the inter-op pool before the engine loaded.
            assertEquals("1", System.getProperty("ai.djl.pytorch.num_interop_threads"));
            assertEquals(1, JniUtils.getNumInteropThreads(), b.describe());
            assertTrue(b.describe().contains("OMP_WAIT_POLICY"), b.describe());
        }
    }
}
