package io.rankwise.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.api.spi.BackendProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars at test time, as a third party would: sources compiled with the system
 * Java compiler against the api classes alone, then packed with a services file.
 */
final class PluginJars {
    private final Path sources;
    private final Path classes;

    private PluginJars(Path work) throws IOException {
        this.sources = Files.createDirectories(work.resolve("src"));
        this.classes = Files.createDirectories(work.resolve("classes"));
    }

    /** Writes and compiles {@code sources} (class name to source text) under {@code work}. */
    static PluginJars compile(Path work, Map<String, String> sourcesByClass) throws IOException {
        PluginJars jars = new PluginJars(work);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--release",
                                "17",
                                "-classpath",
                                apiClasses().toString(),
                                "-d",
                                jars.classes.toString()));
        for (Map.Entry<String, String> e : sourcesByClass.entrySet()) {
            Path file = jars.sources.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(
                0,
                rc,
                "the test plugins compile against the api: "
                        + errors.toString(StandardCharsets.UTF_8));
        return jars;
    }

    /**
     * A backend provider's source: {@code name()} returns {@code name}, the constructor runs {@code
     * body}.
     */
    static String backend(String className, String superclass, String name, String body) {
        int dot = className.lastIndexOf('.');
        return "package "
                + className.substring(0, dot)
                + ";\n"
                + "public class "
                + className.substring(dot + 1)
                + (superclass == null
                        ? " implements io.rankwise.api.spi.BackendProvider"
                        : " extends " + superclass)
                + " {\n"
                + "    public "
                + className.substring(dot + 1)
                + "() { "
                + body
                + " }\n"
                + "    public String name() { return \""
                + name
                + "\"; }\n"
                + "    public String description() { return \"from a plugin jar\"; }\n"
                + "    public io.rankwise.api.Backend create(io.rankwise.api.Device device) { return null; }\n"
                + "}\n";
    }

    /**
     * Packs the compiled {@code classNames} (with their nested classes) into {@code jar}, with a
     * services file for {@link BackendProvider} listing {@code providers}.
     */
    Path jar(Path jar, List<String> classNames, List<String> providers) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String className : classNames) {
                String path = className.replace('.', '/');
                Path folder = classes.resolve(path).getParent();
                String simple = path.substring(path.lastIndexOf('/') + 1);
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f :
                            files.filter(
                                            f ->
                                                    f.getFileName()
                                                                    .toString()
                                                                    .equals(simple + ".class")
                                                            || f.getFileName()
                                                                    .toString()
                                                                    .startsWith(simple + "$"))
                                    .sorted()
                                    .toList()) {
                        out.putNextEntry(
                                new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, (OutputStream) out);
                        out.closeEntry();
                    }
                }
            }
            if (!providers.isEmpty()) {
                out.putNextEntry(
                        new JarEntry("META-INF/services/" + BackendProvider.class.getName()));
                out.write(
                        ("# test plugin\n" + String.join("\n", providers) + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The folder or jar the api's classes were loaded from (target/classes in this module's build).
     */
    static Path apiClasses() {
        try {
            return Path.of(
                    BackendProvider.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
