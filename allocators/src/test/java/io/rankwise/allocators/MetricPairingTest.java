package io.rankwise.allocators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.testing.Backends;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A posterior metric paired with an optimizer without a posterior is refused before training. */
class MetricPairingTest {

    @Test
    void snrWithAdamIsRefusedNamingBoth() {
        Backend backend = Backends.get(Backends.names().get(0));
        String prefix = Backends.unique("pairing");
        SvdAdapter adapter =
                new SvdLowRankAdapter(
                        backend, prefix + "m", 4, 4, 2, 2, DType.FLOAT32, new HostRandom(1));
        Optimizer adam = Plugins.discover().optimizers().get("adam").create(Map.of());
        adam.attach(backend, adapter.parameters());
        for (String metric : List.of("snr", "variance", "snr-abs", "mean-abs")) {
            AdaLoraAllocator allocator =
                    new AdaLoraAllocator(new AdaLoraConfig(2, 1, 1, 1, 1, 10, 0));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    allocator.attach(
                                            backend,
                                            List.of(adapter),
                                            Plugins.discover()
                                                    .metrics()
                                                    .get(metric)
                                                    .create(Map.of()),
                                            adam));
            // A run names the optimizers that would do (RunAssemblyTest); the allocator alone knows
            // none.
            assertEquals(
                    "metric '"
                            + metric
                            + "' needs a posterior (mean and sigma per weight), which optimizer 'adam' does not"
                            + " offer",
                    e.getMessage());
        }
        // Sensitivity and magnitude need no posterior: Adam is fine.
        for (String metric : List.of("sensitivity", "magnitude")) {
            new AdaLoraAllocator(new AdaLoraConfig(2, 1, 1, 1, 1, 10, 0))
                    .attach(
                            backend,
                            List.of(adapter),
                            Plugins.discover().metrics().get(metric).create(Map.of()),
                            adam);
        }
    }
}
