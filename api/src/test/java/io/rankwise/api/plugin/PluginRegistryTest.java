package io.rankwise.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir Path classPath;

    /**
     * Discovers backends through a real ServiceLoader over a services file listing {@code classes}.
     */
    private PluginRegistry<BackendProvider> discover(
            Map<String, String> props, Map<String, String> env, Class<?>... classes)
            throws IOException {
        Path services = classPath.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder lines = new StringBuilder("# test providers\n");
        for (Class<?> c : classes) {
            lines.append(c.getName()).append('\n');
        }
        Files.writeString(services.resolve(BackendProvider.class.getName()), lines);
        ClassLoader loader =
                new URLClassLoader(
                        new URL[] {classPath.toUri().toURL()}, getClass().getClassLoader());
        return new PluginRegistry<>(
                "backend",
                java.util.ServiceLoader.load(BackendProvider.class, loader).iterator(),
                props::get,
                env::get);
    }

    private PluginRegistry<BackendProvider> discover(Class<?>... classes) throws IOException {
        return discover(Map.of(), Map.of(), classes);
    }

    @Test
    void noProviderIsAnErrorSayingWhatToAdd() throws IOException {
        PluginRegistry<BackendProvider> registry = discover();
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> registry.select(null, p -> p.create(Device.cpu())));
        assertTrue(
                e.getMessage().contains("no backend provider is on the class path"),
                e.getMessage());
        assertTrue(registry.providers().isEmpty());
    }

    @Test
    void unknownNameListsTheAvailableOnes() throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(FakeBackends.Alpha.class, FakeBackends.Beta.class);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.get("gamma"));
        assertEquals("backend 'gamma' is not available; available: beta, alpha", e.getMessage());
    }

    @Test
    void duplicateNameIsReportedWithBothClassesAndTheOthersStayUsable() throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(
                        FakeBackends.Alpha.class,
                        FakeBackends.Beta.class,
                        FakeBackends.BetaTwin.class);
        assertEquals(List.of("alpha"), registry.providers().stream().map(Plugin::name).toList());
        LoadProblem problem = registry.problems().get(0);
        assertEquals("beta", problem.provider());
        assertTrue(
                problem.message().contains(FakeBackends.Beta.class.getName())
                        && problem.message().contains(FakeBackends.BetaTwin.class.getName()),
                problem.message());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.get("beta"));
        assertTrue(
                e.getMessage()
                        .contains("'beta' is unusable: the name is claimed by several providers"),
                e.getMessage());
        assertEquals("alpha", registry.select(null, p -> p.name()).provider().name());
    }

    @Test
    void providerThatThrowsWhileLoadingIsReportedByClassAndTheOthersStayUsable()
            throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(FakeBackends.ThrowsInConstructor.class, FakeBackends.Alpha.class);
        assertEquals(List.of("alpha"), registry.providers().stream().map(Plugin::name).toList());
        assertEquals(1, registry.problems().size());
        LoadProblem problem = registry.problems().get(0);
        assertEquals(FakeBackends.ThrowsInConstructor.class.getName(), problem.provider());
        assertTrue(problem.message().contains("constructor exploded"), problem.message());
    }

    @Test
    void providerWhoseNativesFailIsSkippedByRankAndReportedByName() throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(
                        FakeBackends.Alpha.class,
                        FakeBackends.Broken.class,
                        FakeBackends.Beta.class);
        var selection = registry.select(null, p -> p.create(Device.cpu()));
        assertEquals("beta", selection.provider().name(), "highest rank that loads");
        assertNull(selection.created());
        LoadProblem problem = registry.problems().get(0);
        assertEquals("broken", problem.provider());
        assertTrue(problem.message().contains("libfake.so"), problem.message());
    }

    @Test
    void askingForABrokenProviderByNameFailsWithItsCause() throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(FakeBackends.Alpha.class, FakeBackends.Broken.class);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> registry.select("broken", p -> p.create(Device.cpu())));
        assertEquals(
                "the backend 'broken' failed to start: libfake.so: cannot open shared object file",
                e.getMessage());
    }

    @Test
    void configurationThenPropertyThenEnvironmentThenRank() throws IOException {
        Class<?>[] all = {FakeBackends.Alpha.class, FakeBackends.Beta.class};
        assertEquals("beta", discover(all).choose(null).name());
        assertEquals(
                "alpha",
                discover(Map.of(), Map.of("RANKWISE_BACKEND", "alpha"), all).choose(null).name());
        assertEquals(
                "beta",
                discover(
                                Map.of("rankwise.backend", "BETA"),
                                Map.of("RANKWISE_BACKEND", "alpha"),
                                all)
                        .choose(null)
                        .name());
        assertEquals(
                "alpha",
                discover(
                                Map.of("rankwise.backend", "beta"),
                                Map.of("RANKWISE_BACKEND", "beta"),
                                all)
                        .choose("alpha")
                        .name());
        assertEquals(
                "beta",
                discover(Map.of("rankwise.backend", " "), Map.of(), all).choose("").name(),
                "blank values count as unset");
    }

    @Test
    void unknownNameFromTheEnvironmentIsAnErrorNotAFallback() throws IOException {
        PluginRegistry<BackendProvider> registry =
                discover(
                        Map.of(),
                        Map.of("RANKWISE_BACKEND", "cuda-magic"),
                        FakeBackends.Alpha.class);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.choose(null));
        assertTrue(
                e.getMessage()
                        .startsWith("backend 'cuda-magic' is not available; available: alpha"),
                e.getMessage());
    }
}
