package io.rankwise.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The example plugin in examples/third-party-metric, built from its sources against the api alone,
 * as a third party would.
 */
public final class ExampleJars {
    private static final Path EXAMPLE = Path.of("..", "examples", "third-party-metric");

    private ExampleJars() {}

    /**
     * Compiles the example metric against the api jar and packages it (with its META-INF/services)
     * as {@code jar}.
     */
    public static Path thirdPartyMetric(Path work, Path jar) throws IOException {
        Path classes = Files.createDirectories(work.resolve("example-classes"));
        List<String> sources;
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources =
                    files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
        assertFalse(sources.isEmpty(), "no sources under " + EXAMPLE.toAbsolutePath());
        String apiJar;
        try {
            apiJar =
                    Path.of(
                                    io.rankwise.api.Tensor.class
                                            .getProtectionDomain()
                                            .getCodeSource()
                                            .getLocation()
                                            .toURI())
                            .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args =
                new ArrayList<>(
                        List.of("--release", "17", "-classpath", apiJar, "-d", classes.toString()));
        args.addAll(sources);
        assertEquals(
                0,
                javac.run(null, null, null, args.toArray(String[]::new)),
                "the example compiles against the api alone");

        Path resources = EXAMPLE.resolve("src/main/resources");
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> all = Stream.concat(Files.walk(classes), Files.walk(resources))) {
            for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                Path root = f.startsWith(classes) ? classes : resources;
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
