package io.rankwise.api.plugin;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where plugin jars come from, and the one class loader that sees them: the folders and jars named
 * with {@code --plugins} on the command line (in the order given), then the entries of the
 * environment variable {@code RANKWISE_PLUGINS} (separated by {@link File#pathSeparator}), then a
 * default folder (the launcher's {@code plugins/}, passed in the system property {@code
 * rankwise.plugins.default}).
 *
 * <p>An entry is a folder, whose {@code *.jar} files are taken sorted by name (not recursively), or
 * a single {@code .jar} file. An entry that was named explicitly (on the command line or in the
 * variable) and does not exist is an error naming it and where it came from; a missing default
 * folder just contributes nothing. A jar reached twice (by two entries, or by a folder and by name)
 * is used once, at its first position.
 *
 * <p>All jars go into one {@link URLClassLoader} whose parent is the application class loader (or a
 * given parent), so that {@link Plugins#discover(PluginPath)} finds the built-in providers (through
 * the parent) and the jars' providers, each once. A file that is not a readable jar is left out of
 * the loader and reported as a {@link LoadProblem} naming the file and the reason; the other jars
 * stay usable, as providers that fail to load do in {@link PluginRegistry}.
 *
 * <p>{@link #jars()} is a plain list of absolute paths so that another process (an executor on
 * another machine) can rebuild the same loader with {@link #ofJars(List, ClassLoader)}.
 *
 * <p>Closing closes the loader; close it only when no plugin class is used any more, since classes
 * not yet loaded can no longer be read from the jars afterwards.
 */
public final class PluginPath implements Closeable {
    /** The environment variable read by {@link #fromEnvironment(List)}: folders and jars. */
    public static final String ENVIRONMENT_VARIABLE = "RANKWISE_PLUGINS";

    /** The system property, set by the launcher, that names the default plugins folder. */
    public static final String DEFAULT_FOLDER_PROPERTY = "rankwise.plugins.default";

    private static final Logger LOG = LoggerFactory.getLogger(PluginPath.class);
    private static final String ACCEPTED = "a folder of .jar files or a single .jar file";

    private final List<Jar> jars;
    private final List<LoadProblem> problems;
    private final ClassLoader parent;
    private final URLClassLoader loader;

    private PluginPath(List<Jar> jars, List<LoadProblem> problems, ClassLoader parent) {
        this.jars = List.copyOf(jars);
        this.problems = List.copyOf(problems);
        this.parent = parent;
        this.loader =
                jars.isEmpty()
                        ? null
                        : new URLClassLoader(
                                "rankwise-plugins",
                                jars.stream().map(j -> toUrl(j.path())).toArray(URL[]::new),
                                parent);
    }

    /**
     * Where an entry, and so each jar, came from: shown in messages and by {@code rankwise
     * plugins}.
     */
    public enum Origin {
        /** A {@code --plugins} value on the command line. */
        COMMAND_LINE("--plugins"),
        /** An entry of the environment variable {@code RANKWISE_PLUGINS}. */
        ENVIRONMENT(ENVIRONMENT_VARIABLE),
        /** The default plugins folder (the launcher's {@code plugins/}). */
        DEFAULT_FOLDER("the default plugins folder"),
        /** A list of jars handed over whole, as to {@link #ofJars(List, ClassLoader)}. */
        JAR_LIST("the plugin jar list");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** How messages name it: {@code --plugins}, {@code RANKWISE_PLUGINS}, ... */
        public String label() {
            return label;
        }
    }

    /**
     * One jar in the loader.
     *
     * @param path the jar, absolute and normalised
     * @param origin where the entry that reached it came from
     */
    public record Jar(Path path, Origin origin) {
        /** Checks that both are given. */
        public Jar {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public String toString() {
            return path + " (from " + origin.label() + ")";
        }
    }

    /**
     * Resolves the entries in order, command line first, with the application class loader (the one
     * that loaded this api) as parent.
     *
     * @param commandLine the {@code --plugins} values, in the order given; may be empty
     * @param environmentValue the value of {@code RANKWISE_PLUGINS}, or null when unset; empty
     *     entries are skipped
     * @param defaultFolder the default plugins folder, or null for none; it may be missing
     * @throws IllegalArgumentException for a command-line or environment entry that does not exist,
     *     or that is neither a folder nor a {@code .jar} file, naming it and where it came from
     */
    public static PluginPath of(
            List<Path> commandLine, String environmentValue, Path defaultFolder) {
        return of(commandLine, environmentValue, defaultFolder, PluginPath.class.getClassLoader());
    }

    /**
     * As {@link #of(List, String, Path)} with the given parent class loader.
     *
     * @param parent the loader that sees the api and the built-in providers
     */
    public static PluginPath of(
            List<Path> commandLine,
            String environmentValue,
            Path defaultFolder,
            ClassLoader parent) {
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(parent, "parent");
        Resolver resolver = new Resolver();
        for (Path entry : commandLine) {
            resolver.explicit(entry, Origin.COMMAND_LINE);
        }
        for (String entry : splitEnvironment(environmentValue)) {
            Path path;
            try {
                path = Path.of(entry);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(
                        Origin.ENVIRONMENT.label()
                                + " entry '"
                                + entry
                                + "' is not a valid path ("
                                + e.getReason()
                                + "); accepted: "
                                + ACCEPTED,
                        e);
            }
            resolver.explicit(path, Origin.ENVIRONMENT);
        }
        if (defaultFolder != null) {
            resolver.defaultFolder(defaultFolder);
        }
        return resolver.build(parent);
    }

    /**
     * The plugin path of this process: {@code commandLine}, then the environment variable {@code
     * RANKWISE_PLUGINS}, then the folder in the system property {@code rankwise.plugins.default}
     * (set by the launcher; none when the property is unset).
     *
     * @throws IllegalArgumentException as {@link #of(List, String, Path)}
     */
    public static PluginPath fromEnvironment(List<Path> commandLine) {
        String defaultFolder = System.getProperty(DEFAULT_FOLDER_PROPERTY);
        return of(
                commandLine,
                System.getenv(ENVIRONMENT_VARIABLE),
                defaultFolder == null || defaultFolder.isBlank() ? null : Path.of(defaultFolder));
    }

    /**
     * Rebuilds a plugin path from the list another one gave with {@link #jars()} (for executors
     * that must see the same plugins as the process that planned the work). Entries are resolved as
     * explicit ones: each must exist; a folder is scanned as usual.
     *
     * @throws IllegalArgumentException for an entry that does not exist or is not a folder or jar
     */
    public static PluginPath ofJars(List<Path> jars, ClassLoader parent) {
        Objects.requireNonNull(jars, "jars");
        Objects.requireNonNull(parent, "parent");
        Resolver resolver = new Resolver();
        for (Path jar : jars) {
            resolver.explicit(jar, Origin.JAR_LIST);
        }
        return resolver.build(parent);
    }

    /** The jars in the loader, in search order, absolute: the list to hand to {@link #ofJars}. */
    public List<Path> jars() {
        return jars.stream().map(Jar::path).toList();
    }

    /** The jars in the loader with where each came from, for {@code rankwise plugins}. */
    public List<Jar> jarsWithOrigin() {
        return jars;
    }

    /**
     * Files and folders that were found but could not be used (not a readable jar, an unreadable
     * folder), each named by its path with the reason and where it came from. They are left out of
     * the loader; the rest stay usable.
     */
    public List<LoadProblem> problems() {
        return problems;
    }

    /**
     * The loader to discover providers in: over every usable jar with the parent behind it, or the
     * parent itself when there is no jar.
     */
    public ClassLoader classLoader() {
        return loader == null ? parent : loader;
    }

    /** Closes the jars' loader (never the parent); later calls do nothing. */
    @Override
    public void close() throws IOException {
        if (loader != null) {
            loader.close();
        }
    }

    @Override
    public String toString() {
        return "PluginPath" + jars;
    }

    private static List<String> splitEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        for (String entry : value.split(Pattern.quote(File.pathSeparator))) {
            // An empty entry (a::b, a trailing separator) means nothing here, unlike PATH's
            // "current folder".
            if (!entry.isBlank()) {
                entries.add(entry.trim());
            }
        }
        return entries;
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(
                    "plugin jar " + jar + " has no URL form: " + e.getMessage(), e);
        }
    }

    private static boolean isJarName(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** Collects jars in order, once each, and the problems met on the way. */
    private static final class Resolver {
        private final List<Jar> jars = new ArrayList<>();
        private final List<LoadProblem> problems = new ArrayList<>();
        private final Set<Path> seen = new HashSet<>();
        private final Set<Path> rejected = new HashSet<>();

        void explicit(Path entry, Origin origin) {
            Objects.requireNonNull(entry, origin.label() + " entry");
            Path path = entry.toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                folder(path, origin);
            } else if (Files.isRegularFile(path) && isJarName(path)) {
                jar(path, origin);
            } else if (Files.exists(path)) {
                throw new IllegalArgumentException(
                        origin.label()
                                + " entry '"
                                + entry
                                + "' ("
                                + path
                                + ") is neither a folder nor a .jar file; accepted: "
                                + ACCEPTED);
            } else {
                throw new IllegalArgumentException(
                        origin.label()
                                + " entry '"
                                + entry
                                + "' ("
                                + path
                                + ") does not exist; accepted: "
                                + ACCEPTED);
            }
        }

        void defaultFolder(Path folder) {
            Path path = folder.toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                return;
            }
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException(
                        "the default plugins folder "
                                + path
                                + " is not a folder; accepted: a folder of .jar files, or nothing at that path");
            }
            folder(path, Origin.DEFAULT_FOLDER);
        }

        private void folder(Path folder, Origin origin) {
            List<Path> found;
            try (Stream<Path> files = Files.list(folder)) {
                found =
                        files.filter(f -> isJarName(f) && Files.isRegularFile(f))
                                .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                                .toList();
            } catch (IOException | RuntimeException e) {
                problem(
                        folder,
                        "the plugins folder could not be listed: " + PluginRegistry.describe(e),
                        origin,
                        e);
                return;
            }
            for (Path jar : found) {
                jar(jar, origin);
            }
        }

        private void jar(Path jar, Origin origin) {
            Path identity = identity(jar);
            if (seen.contains(identity) || rejected.contains(identity)) {
                return;
            }
            // Opening it reads the zip's central directory, and the manifest is read as the class
            // loader will: random bytes, a truncated download or an unreadable file fail here, by
            // name, instead of somewhere deep inside ServiceLoader.
            try (JarFile opened = new JarFile(jar.toFile())) {
                opened.getManifest();
                seen.add(identity);
                jars.add(new Jar(jar, origin));
            } catch (IOException | SecurityException e) {
                rejected.add(identity);
                problem(
                        jar,
                        "not a readable jar: "
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage(),
                        origin,
                        e);
            }
        }

        private void problem(Path path, String reason, Origin origin, Throwable cause) {
            LoadProblem problem =
                    new LoadProblem(
                            path.toString(), reason + " (from " + origin.label() + ")", cause);
            problems.add(problem);
            LOG.warn("Plugin jar left out: {}", problem);
        }

        /**
         * The same file reached by two spellings (a symbolic link, a folder and a name) counts
         * once.
         */
        private static Path identity(Path jar) {
            try {
                return jar.toRealPath();
            } catch (IOException e) {
                return jar;
            }
        }

        PluginPath build(ClassLoader parent) {
            return new PluginPath(jars, problems, parent);
        }
    }
}
