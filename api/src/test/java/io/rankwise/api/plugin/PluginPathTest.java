package io.rankwise.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars built at test time (compiled against the api, packed with a services file) are found
 * through a folder, the environment value, a named jar and the default folder, beside the built-in
 * providers, each once; what cannot be used is reported by name and the rest stay usable.
 */
class PluginPathTest {
    private static final String JAR_BACKEND = "com.example.good.JarBackend";
    private static final String EXPLODING = "com.example.bad.Exploding";
    private static final String FINE = "com.example.bad.Fine";
    private static final String NEEDY = "com.example.needy.Needy";
    private static final String ORPHAN = "com.example.needy.Orphan";

    @TempDir static Path work;

    /** Stands for the application class path: it holds the built-in provider "alpha". */
    private static URLClassLoader builtIn;

    private static PluginJars compiled;
    private static Path goodJar;

    @TempDir Path dir;

    @BeforeAll
    static void buildThePlugins() throws IOException {
        compiled =
                PluginJars.compile(
                        work.resolve("build"),
                        Map.of(
                                JAR_BACKEND,
                                PluginJars.backend(JAR_BACKEND, null, "jar-backend", ""),
                                EXPLODING,
                                PluginJars.backend(
                                        EXPLODING,
                                        null,
                                        "exploding",
                                        "if (true) throw new IllegalStateException(\"exploding on purpose\");"),
                                FINE,
                                PluginJars.backend(FINE, null, "fine", ""),
                                "com.example.dep.Dep",
                                "package com.example.dep; public class Dep { }",
                                "com.example.dep.Base",
                                "package com.example.dep; public abstract class Base"
                                        + " implements io.rankwise.api.spi.BackendProvider { }",
                                NEEDY,
                                PluginJars.backend(
                                        NEEDY, null, "needy", "new com.example.dep.Dep();"),
                                ORPHAN,
                                PluginJars.backend(ORPHAN, "com.example.dep.Base", "orphan", "")));
        goodJar =
                compiled.jar(
                        work.resolve("jars/good.jar"), List.of(JAR_BACKEND), List.of(JAR_BACKEND));

        Path classPath = Files.createDirectories(work.resolve("builtin/META-INF/services"));
        Files.writeString(
                classPath.resolve(BackendProvider.class.getName()),
                FakeBackends.Alpha.class.getName() + "\n");
        builtIn =
                new URLClassLoader(
                        new URL[] {work.resolve("builtin").toUri().toURL()},
                        PluginPathTest.class.getClassLoader());
    }

    @AfterAll
    static void closeTheBuiltInLoader() throws IOException {
        builtIn.close();
    }

    private static List<String> backendNames(PluginPath path) {
        return Plugins.discover(path).backends().providers().stream()
                .map(Plugin::name)
                .sorted()
                .toList();
    }

    private Path folderWith(String name, Path... jars) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (Path jar : jars) {
            Files.copy(jar, folder.resolve(jar.getFileName()));
        }
        return folder;
    }

    @Test
    void aFolderOnTheCommandLineAddsItsJarsBesideTheBuiltInProviders() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        try (PluginPath path = PluginPath.of(List.of(folder), null, null, builtIn)) {
            assertEquals(List.of(folder.resolve("good.jar").toAbsolutePath()), path.jars());
            assertEquals(PluginPath.Origin.COMMAND_LINE, path.jarsWithOrigin().get(0).origin());
            PluginRegistry<BackendProvider> backends = Plugins.discover(path).backends();
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path), "each once");
            assertTrue(backends.problems().isEmpty(), backends.problems().toString());
            assertSame(
                    path.classLoader(),
                    backends.get("jar-backend").getClass().getClassLoader(),
                    "loaded from the plugin jar");
            assertSame(
                    FakeBackends.Alpha.class,
                    backends.get("alpha").getClass(),
                    "the built-in one through the parent");
            assertTrue(path.problems().isEmpty());
        }
    }

    @Test
    void theEnvironmentValueIsSplitOnThePathSeparator() throws IOException {
        Path empty = folderWith("empty");
        Path folder = folderWith("env", goodJar);
        String value =
                empty + File.pathSeparator + File.pathSeparator + folder + File.pathSeparator;
        try (PluginPath path = PluginPath.of(List.of(), value, null, builtIn)) {
            assertEquals(List.of(folder.resolve("good.jar")), path.jars());
            assertEquals(PluginPath.Origin.ENVIRONMENT, path.jarsWithOrigin().get(0).origin());
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
        }
    }

    @Test
    void aSingleJarCanBeNamed() throws IOException {
        try (PluginPath path = PluginPath.of(List.of(goodJar), null, null, builtIn)) {
            assertEquals(List.of(goodJar), path.jars());
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
        }
    }

    @Test
    void theDefaultFolderIsUsedWhenItExistsAndIgnoredWhenMissing() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        try (PluginPath path = PluginPath.of(List.of(), null, folder, builtIn)) {
            assertEquals(PluginPath.Origin.DEFAULT_FOLDER, path.jarsWithOrigin().get(0).origin());
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
        }
        try (PluginPath path =
                PluginPath.of(List.of(), "", dir.resolve("no-such-folder"), builtIn)) {
            assertTrue(path.jars().isEmpty());
            assertSame(builtIn, path.classLoader(), "no jar, no extra loader");
            assertEquals(List.of("alpha"), backendNames(path));
        }
    }

    @Test
    void commandLineThenEnvironmentThenDefaultAndEachFolderSortedByName() throws IOException {
        Path empty = compiled.jar(dir.resolve("made/empty.jar"), List.of(), List.of());
        Path cli = folderWith("cli", goodJar);
        Files.copy(empty, cli.resolve("a.jar"));
        Files.copy(empty, cli.resolve("z.jar"));
        Files.writeString(cli.resolve("notes.txt"), "not a jar, not looked at");
        Files.createDirectories(cli.resolve("nested"));
        Files.copy(empty, cli.resolve("nested/deeper.jar"));
        Path env = folderWith("env");
        Files.copy(empty, env.resolve("env.jar"));
        Path defaults = folderWith("defaults");
        Files.copy(empty, defaults.resolve("default.jar"));
        try (PluginPath path = PluginPath.of(List.of(cli), env.toString(), defaults, builtIn)) {
            assertEquals(
                    List.of("a.jar", "good.jar", "z.jar", "env.jar", "default.jar"),
                    path.jars().stream().map(p -> p.getFileName().toString()).toList(),
                    "not recursive: nested/deeper.jar stays out");
        }
    }

    @Test
    void aMissingExplicitEntryIsAnErrorNamingItAndWhereItCameFrom() {
        Path missing = dir.resolve("not-there");
        IllegalArgumentException cli =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PluginPath.of(List.of(missing), null, null, builtIn));
        assertTrue(
                cli.getMessage().startsWith("--plugins entry '" + missing + "'"), cli.getMessage());
        assertTrue(
                cli.getMessage()
                        .contains(
                                "does not exist; accepted: a folder of .jar files or a single .jar file"),
                cli.getMessage());
        IllegalArgumentException env =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PluginPath.of(List.of(), missing.toString(), null, builtIn));
        assertTrue(
                env.getMessage().startsWith("RANKWISE_PLUGINS entry '" + missing + "'"),
                env.getMessage());
    }

    @Test
    void aFileThatIsNotAJarCannotBeNamed() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PluginPath.of(List.of(notes), null, null, builtIn));
        assertTrue(
                e.getMessage().contains("'" + notes + "'")
                        && e.getMessage().contains("is neither a folder nor a .jar file"),
                e.getMessage());
    }

    @Test
    void aCorruptJarIsReportedByNameAndTheOthersStayUsable() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path corrupt = Files.write(folder.resolve("x.jar"), noise);
        try (PluginPath path = PluginPath.of(List.of(folder), null, null, builtIn)) {
            assertEquals(List.of(folder.resolve("good.jar")), path.jars());
            assertEquals(1, path.problems().size());
            LoadProblem problem = path.problems().get(0);
            assertEquals(corrupt.toString(), problem.provider());
            assertTrue(
                    problem.message().startsWith("not a readable jar: ZipException")
                            && problem.message().endsWith("(from --plugins)"),
                    problem.message());
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
        }
    }

    @Test
    void aProviderWhoseConstructorThrowsIsReportedByNameAndTheOthersStayUsable()
            throws IOException {
        Path jar =
                compiled.jar(
                        dir.resolve("bad.jar"), List.of(EXPLODING, FINE), List.of(EXPLODING, FINE));
        try (PluginPath path = PluginPath.of(List.of(jar), null, null, builtIn)) {
            PluginRegistry<BackendProvider> backends = Plugins.discover(path).backends();
            assertEquals(List.of("alpha", "fine"), backendNames(path));
            assertEquals(1, backends.problems().size(), backends.problems().toString());
            LoadProblem problem = backends.problems().get(0);
            assertEquals(EXPLODING, problem.provider());
            assertTrue(problem.message().contains("exploding on purpose"), problem.message());
        }
    }

    @Test
    void aProviderMissingADependencyIsReportedByNameAndTheOthersStayUsable() throws IOException {
        // com.example.dep is compiled but not packed: the jar a plugin needs was left out of the
        // folder.
        Path jar =
                compiled.jar(
                        dir.resolve("needy.jar"),
                        List.of(NEEDY, ORPHAN, FINE),
                        List.of(NEEDY, ORPHAN, FINE));
        try (PluginPath path = PluginPath.of(List.of(jar), null, null, builtIn)) {
            PluginRegistry<BackendProvider> backends = Plugins.discover(path).backends();
            assertEquals(List.of("alpha", "fine"), backendNames(path));
            List<String> named = backends.problems().stream().map(LoadProblem::provider).toList();
            assertEquals(List.of(NEEDY, ORPHAN), named, backends.problems().toString());
            for (LoadProblem problem : backends.problems()) {
                assertTrue(
                        problem.message().contains("com/example/dep/")
                                && problem.message()
                                        .contains("put the jars the plugin depends on beside it"),
                        problem.message());
            }
        }
    }

    @Test
    void theSameJarReachedTwiceIsLoadedOnce() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        Path jar = folder.resolve("good.jar");
        try (PluginPath path =
                PluginPath.of(
                        List.of(folder, jar, folder.resolve("../plugins/good.jar")),
                        folder.toString(),
                        folder,
                        builtIn)) {
            assertEquals(List.of(jar), path.jars());
            assertEquals(PluginPath.Origin.COMMAND_LINE, path.jarsWithOrigin().get(0).origin());
            PluginRegistry<BackendProvider> backends = Plugins.discover(path).backends();
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
            assertTrue(
                    backends.problems().isEmpty(),
                    "no duplicate-name report: " + backends.problems());
        }
    }

    @Test
    void aJarAlreadyOnTheApplicationClassPathIsFoundOnce() throws IOException {
        // The parent finds it first (parent-first delegation) and ServiceLoader skips a class name
        // it has seen.
        try (URLClassLoader parent =
                        new URLClassLoader(new URL[] {goodJar.toUri().toURL()}, builtIn);
                PluginPath path = PluginPath.of(List.of(goodJar), null, null, parent)) {
            PluginRegistry<BackendProvider> backends = Plugins.discover(path).backends();
            assertEquals(List.of("alpha", "jar-backend"), backendNames(path));
            assertTrue(backends.problems().isEmpty(), backends.problems().toString());
        }
    }

    @Test
    void theJarListRebuildsTheSameLoader() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        Files.copy(goodJar, folder.resolve("another.jar"));
        try (PluginPath first = PluginPath.of(List.of(folder), null, null, builtIn);
                PluginPath again = PluginPath.ofJars(first.jars(), builtIn)) {
            assertEquals(first.jars(), again.jars());
            assertEquals(PluginPath.Origin.JAR_LIST, again.jarsWithOrigin().get(0).origin());
            assertEquals(backendNames(first), backendNames(again));
        }
    }

    @Test
    void fromEnvironmentReadsTheDefaultFolderFromTheSystemProperty() throws IOException {
        Path folder = folderWith("plugins", goodJar);
        String before = System.getProperty(PluginPath.DEFAULT_FOLDER_PROPERTY);
        System.setProperty(PluginPath.DEFAULT_FOLDER_PROPERTY, folder.toString());
        try (PluginPath path = PluginPath.fromEnvironment(List.of())) {
            assertTrue(
                    path.jarsWithOrigin()
                            .contains(
                                    new PluginPath.Jar(
                                            folder.resolve("good.jar"),
                                            PluginPath.Origin.DEFAULT_FOLDER)),
                    path.toString());
        } finally {
            if (before == null) {
                System.clearProperty(PluginPath.DEFAULT_FOLDER_PROPERTY);
            } else {
                System.setProperty(PluginPath.DEFAULT_FOLDER_PROPERTY, before);
            }
        }
    }
}
