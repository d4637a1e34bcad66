package io.rankwise.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Discovery, device resolution and the error for a GPU that is not there. */
class ProviderTest {

    @Test
    void isDiscoveredByName() {
        BackendProvider p =
                ServiceLoader.load(BackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(b -> b.name().equals("tensorflow"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(10, p.rank());
        assertTrue(p instanceof TfBackendProvider);
    }

    @Test
    void autoResolvesToWhatWasFound() {
        try (Backend b = new TfBackendProvider().create(Device.auto())) {
            int gpus = DeviceProbe.gpuCount(DeviceProbe.devices(SessionConfig.forProbe(0)));
            assertEquals(gpus > 0 ? Device.gpu(0) : Device.cpu(), b.device());
            String d = b.describe();
            assertTrue(
                    d.contains("TensorFlow") && d.contains("threads") && d.contains("GPUs found"),
                    d);
        }
    }

    @Test
    void aMissingGpuIsRefusedWithWhatWasFoundAndWhatToUse() {
        int gpus = DeviceProbe.gpuCount(DeviceProbe.devices(SessionConfig.forProbe(0)));
        Device missing = Device.gpu(gpus);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TfBackendProvider().create(missing));
        String m = e.getMessage();
        assertTrue(
                m.contains("tensorflow")
                        && m.contains(missing.toString())
                        && m.contains("CPU:0")
                        && m.contains("cpu"),
                m);
        if (gpus == 0) {
            // The step that is missing: this build's natives, or the machine's driver or CUDA.
            assertTrue(
                    m.contains("natives on the class path are the CPU build")
                            || m.contains("GPU build of the natives"),
                    m);
        }
    }

    @Test
    void withoutGpuNativesTheErrorNamesTheClassifierAndTheGpuProfile() {
        String m = TfDevice.whyNoGpu("linux-x86_64", false, "unused", 0);
        assertTrue(
                m.contains("the CPU build")
                        && m.contains("classifier linux-x86_64")
                        && m.contains("-Pgpu")
                        && m.contains("linux-x86_64-gpu"),
                m);
    }

    @Test
    void withGpuNativesTheErrorSaysWhatTheMachineLacks() {
        String noDriver =
                TfDevice.whyNoGpu(
                        "linux-x86_64", true, "no NVIDIA driver is loaded on this machine", 0);
        assertTrue(
                noDriver.contains("linux-x86_64-gpu")
                        && noDriver.contains("no NVIDIA driver")
                        && !noDriver.contains("LD_LIBRARY_PATH"),
                noDriver);
        String noCuda = TfDevice.whyNoGpu("linux-x86_64", true, "the NVIDIA driver lists 1 GPU", 1);
        assertTrue(
                noCuda.contains("CUDA 12")
                        && noCuda.contains("cuDNN 9")
                        && noCuda.contains("LD_LIBRARY_PATH"),
                noCuda);
    }

    @Test
    void threadDefaultsAreTheCoresOneInterOpThreadAndNoSpinning() {
        int cores = Runtime.getRuntime().availableProcessors();
        org.tensorflow.proto.ConfigProto c = SessionConfig.forDevice(Device.cpu(), 0);
        assertEquals(cores, c.getIntraOpParallelismThreads());
        assertEquals(1, c.getInterOpParallelismThreads());
        assertTrue(c.getExperimental().getDisableThreadSpinning());
        org.tensorflow.proto.ConfigProto granted = SessionConfig.forProbe(3);
        assertEquals(3, granted.getIntraOpParallelismThreads());
        assertEquals(1, granted.getInterOpParallelismThreads());
        // The probe hides no device: it must list GPUs; its GPU memory grows as the backend's.
        assertEquals(0, granted.getDeviceCountCount());
        assertTrue(granted.getGpuOptions().getAllowGrowth());
    }

    @Test
    void aBadSpinningPropertyNamesItsValueAndWhatIsAccepted() {
        String before = System.getProperty(SessionConfig.SPINNING);
        try {
            System.setProperty(SessionConfig.SPINNING, "sometimes");
            String m =
                    assertThrows(IllegalArgumentException.class, SessionConfig::spinning)
                            .getMessage();
            assertEquals(
                    "tensorflow: system property rankwise.tensorflow.thread_spinning is"
                            + " 'sometimes'; accepted: true or false",
                    m);
            System.setProperty(SessionConfig.SPINNING, "true");
            assertTrue(SessionConfig.spinning());
        } finally {
            if (before == null) {
                System.clearProperty(SessionConfig.SPINNING);
            } else {
                System.setProperty(SessionConfig.SPINNING, before);
            }
        }
    }
}
