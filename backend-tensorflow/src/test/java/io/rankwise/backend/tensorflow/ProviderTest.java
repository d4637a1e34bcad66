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
            int gpus = DeviceProbe.gpuCount(DeviceProbe.devices());
            assertEquals(gpus > 0 ? Device.gpu(0) : Device.cpu(), b.device());
            String d = b.describe();
            assertTrue(
                    d.contains("TensorFlow") && d.contains("threads") && d.contains("GPUs found"),
                    d);
        }
    }

    @Test
    void aMissingGpuIsRefusedWithWhatWasFoundAndWhatToUse() {
        int gpus = DeviceProbe.gpuCount(DeviceProbe.devices());
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
    }
}
