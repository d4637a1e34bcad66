package io.rankwise.it.allocators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.allocators.AdaLoraConfig;
import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.it.ExampleJars;
import io.rankwise.optimizers.Ivon;
import io.rankwise.optimizers.IvonSettings;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.testing.Backends;
import io.rankwise.training.step.AdaLoraTrainer;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example plugin in examples/third-party-metric, built from its sources against the api alone
 * ({@link ExampleJars}), put on a class path, discovered by name and used by the allocator on every
 * backend.
 */
class ThirdPartyMetricTest {
    @TempDir static Path work;

    private static ClassLoader pluginLoader;

    @BeforeAll
    static void buildThePluginJar() throws IOException {
        Path jar = ExampleJars.thirdPartyMetric(work, work.resolve("third-party-metric.jar"));
        pluginLoader =
                new URLClassLoader(
                        new URL[] {jar.toUri().toURL()},
                        ThirdPartyMetricTest.class.getClassLoader());
    }

    /**
     * Its one option is declared once; Rankwise checks given values against that declaration before
     * create.
     */
    @org.junit.jupiter.api.Test
    void itsOptionIsCheckedAgainstItsDeclaration() {
        ImportanceMetricProvider provider =
                Plugins.discover(pluginLoader).metrics().get("confident-magnitude");
        assertEquals(
                List.of("z"),
                provider.options().stream().map(io.rankwise.api.spi.Option::name).toList());
        assertEquals(2.0, provider.options().get(0).defaultValue());
        assertEquals(
                "confident-magnitude: option 'z' is 0; accepted: a number > 0",
                org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalArgumentException.class,
                                () -> provider.create(Map.of("z", 0)))
                        .getMessage());
        assertEquals(
                "confident-magnitude: unknown option 'width'; known options: z",
                org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalArgumentException.class,
                                () -> provider.create(Map.of("width", "3")))
                        .getMessage());
    }

    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theJarOnTheClassPathIsDiscoveredAndUsed(String backendName) {
        var metrics = Plugins.discover(pluginLoader).metrics();
        ImportanceMetricProvider provider = metrics.get("confident-magnitude");
        assertSame(
                pluginLoader,
                provider.getClass().getClassLoader(),
                "found in the plugin jar, not the test class path");
        assertTrue(
                metrics.byName().containsKey("snr"),
                "the built-in metrics stay available beside it");
        ImportanceMetric metric = provider.create(Map.of("z", 1.0));

        Backend backend = Backends.get(backendName);
        HostRandom random = new HostRandom(8);
        int n = 64;
        int d = 6;
        String prefix = Backends.unique("third-party");
        List<SvdAdapter> adapters =
                List.of(
                        new SvdLowRankAdapter(
                                backend,
                                prefix + "a",
                                d,
                                d,
                                4,
                                4,
                                DType.FLOAT64,
                                HostRandom.forStream(1, 1)),
                        new SvdLowRankAdapter(
                                backend,
                                prefix + "b",
                                d,
                                d,
                                4,
                                4,
                                DType.FLOAT64,
                                HostRandom.forStream(1, 2)));
        AdaLoraAllocator allocator = new AdaLoraAllocator(new AdaLoraConfig(4, 2, 5, 5, 5, 40, 0));
        Ivon ivon =
                new Ivon(
                        new IvonSettings(
                                0.5,
                                100 * n,
                                0.1,
                                0.9,
                                0.999,
                                1e-4,
                                1,
                                "price",
                                Double.POSITIVE_INFINITY,
                                true,
                                true),
                        new DeviceNoise(2));
        double[] x = random.normal(n * d, 0, 1);
        double[] y = random.normal(n * d, 0, 1);
        try (Tensor xs = backend.tensor(x, Shape.of(n, d), DType.FLOAT64);
                Tensor ys = backend.tensor(y, Shape.of(n, d), DType.FLOAT64);
                AdaLoraTrainer<Batch> trainer =
                        new AdaLoraTrainer<>(
                                backend,
                                ivon,
                                allocator,
                                metric,
                                adapters,
                                List.of(),
                                (ops, batch, valueOf) -> {
                                    Tensor sum = null;
                                    for (SvdAdapter a : adapters) {
                                        Tensor delta =
                                                a.delta(
                                                        ops,
                                                        batch.x(),
                                                        a.parameters().stream()
                                                                .map(valueOf)
                                                                .toList());
                                        sum = sum == null ? delta : ops.add(sum, delta);
                                    }
                                    return ops.mean(ops.square(ops.sub(sum, batch.y())));
                                })) {
            Batch batch = new Batch(xs, ys);
            for (int t = 1; t <= 40; t++) {
                trainer.step(t, batch);
            }
        }
        long surviving =
                allocator.rankPattern().values().stream()
                        .mapToLong(
                                p ->
                                        java.util.stream.IntStream.range(0, p.length)
                                                .filter(i -> p[i])
                                                .count())
                        .sum();
        assertEquals(4, surviving, "the final budget is target_r · K = 2 · 2 triplets");
    }

    /**
     * The regression's data.
     *
     * @param x the inputs
     * @param y the targets
     */
    private record Batch(Tensor x, Tensor y) {}
}
