package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import java.util.ServiceLoader;
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
    }

    @Test
    void deviceChoiceWithGpusPresent() {
        assertEquals(Device.gpu(0), DeviceChoice.resolve(Device.auto(), 2).device());
        assertEquals(Device.gpu(1), DeviceChoice.resolve(Device.gpu(1), 2).device());
        assertEquals(Device.cpu(), DeviceChoice.resolve(Device.cpu(), 2).device());
        String m =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DeviceChoice.resolve(Device.gpu(2), 2))
                        .getMessage();
        assertTrue(
                m.contains("gpu:2") && m.contains("found 2 GPUs") && m.contains("gpu:0 to gpu:1"),
                m);
    }
}
