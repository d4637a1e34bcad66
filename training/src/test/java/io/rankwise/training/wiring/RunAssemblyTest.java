package io.rankwise.training.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.training.SmallRun;
import io.rankwise.training.spec.RunSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one place a run is assembled: names are checked first, then Guice binds what the spec names.
 */
class RunAssemblyTest {
    private static final Plugins PLUGINS = Plugins.discover();

    private static RunSpec with(RunSpec s, RunSpec.Plugin optimizer, RunSpec.Plugin metric) {
        return new RunSpec(
                s.backend(),
                s.model(),
                s.adapter(),
                s.allocator(),
                optimizer,
                metric,
                s.task(),
                s.training());
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKindTheNameAndTheAvailableOnes() {
        RunSpec spec = SmallRun.spec("djl");
        IllegalArgumentException optimizer =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunAssembly.assemble(
                                        PLUGINS,
                                        with(spec, RunSpec.Plugin.named("sgd"), spec.metric())));
        assertRefused(
                "optimizer 'sgd' is not available; available: ",
                List.of("adam", "ivon"),
                optimizer);
        IllegalArgumentException metric =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunAssembly.assemble(
                                        PLUGINS,
                                        with(
                                                spec,
                                                spec.optimizer(),
                                                RunSpec.Plugin.named("fisher"))));
        assertRefused(
                "metric 'fisher' is not available; available: ",
                List.of("magnitude", "mean-abs", "sensitivity", "snr", "snr-abs", "variance"),
                metric);
        IllegalArgumentException backend =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunAssembly.assemble(
                                        PLUGINS,
                                        new RunSpec(
                                                new RunSpec.Backend("jax", spec.backend().device()),
                                                spec.model(),
                                                spec.adapter(),
                                                spec.allocator(),
                                                spec.optimizer(),
                                                spec.metric(),
                                                spec.task(),
                                                spec.training())));
        assertRefused(
                "backend 'jax' is not available; available: ",
                List.of("djl", "tensorflow"),
                backend);
        IllegalArgumentException adapter =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunAssembly.assemble(
                                        PLUGINS,
                                        new RunSpec(
                                                spec.backend(),
                                                spec.model(),
                                                new RunSpec.Adapter(
                                                        "dora",
                                                        3,
                                                        6,
                                                        spec.adapter().targetModules()),
                                                spec.allocator(),
                                                spec.optimizer(),
                                                spec.metric(),
                                                spec.task(),
                                                spec.training())));
        assertRefused(
                "adapter 'dora' is not available; available: ",
                List.of("adalora", "lora"),
                adapter);
    }

    /**
     * The message names the kind and the name, then every available plugin (in the registry's rank
     * order).
     */
    private static void assertRefused(
            String start, List<String> available, IllegalArgumentException e) {
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(
                new java.util.TreeSet<>(available),
                new java.util.TreeSet<>(
                        List.of(e.getMessage().substring(start.length()).split(", "))),
                e.getMessage());
    }

    @Test
    void aPosteriorMetricWithAdamIsRefusedNamingTheOptimizersThatWouldDo() {
        RunSpec spec = SmallRun.spec("djl");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunAssembly.assemble(
                                        PLUGINS,
                                        with(
                                                spec,
                                                RunSpec.Plugin.named("adam"),
                                                RunSpec.Plugin.named("snr"))));
        assertEquals(
                "metric 'snr' needs a posterior (mean and sigma per weight), which optimizer 'adam' does not offer;"
                        + " optimizers that would do: ivon",
                e.getMessage());
    }

    @Test
    void thePartsAreThePluginsTheSpecNamesWithItsOptions() {
        RunSpec spec = SmallRun.spec("djl");
        RunParts parts = RunAssembly.assemble(PLUGINS, spec);
        assertEquals(spec, parts.spec());
        assertEquals("ivon", parts.optimizer(64).name());
        assertEquals(0.05, parts.optimizer(64).learningRate(), 0);
        assertEquals("snr", parts.metric().name());
        RankAllocator allocator = parts.allocator(8);
        AdaLoraAllocator adalora = assertInstanceOf(AdaLoraAllocator.class, allocator);
        assertEquals(2, adalora.config().targetR());
        assertEquals(3, adalora.config().initR(), "init_r comes from the adapter section");
        assertEquals(8, adalora.config().totalSteps(), "T comes from the run's length");
        assertEquals(0.1, allocator.orthogonalityWeight(), 0, "γ is the allocator's option");
        assertEquals("adalora", parts.adapterProvider().name());
        assertEquals(
                Map.of("init_r", 3, "lora_alpha", 6.0, "dtype", "float32", "seed", 11L),
                parts.adapterOptions().values());
    }

    @Test
    void badPluginOptionsNameTheSection() {
        RunSpec spec = SmallRun.spec("djl");
        RunParts parts =
                RunAssembly.assemble(
                        PLUGINS,
                        with(
                                spec,
                                new RunSpec.Plugin(
                                        "ivon",
                                        Map.of("lr", "0.1", "ess", "10", "learning_rate", "1")),
                                spec.metric()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parts.optimizer(64));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "optimizer.options: ivon: unknown option 'learning_rate'; known options: "),
                e.getMessage());
    }
}
