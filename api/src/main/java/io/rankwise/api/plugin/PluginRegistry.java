package io.rankwise.api.plugin;

import io.rankwise.api.spi.Plugin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All providers of one kind found on the class path, and the one policy for choosing among them:
 * the name from configuration, else the system property {@code rankwise.<kind>}, else the
 * environment variable {@code RANKWISE_<KIND>}, else the highest-ranked provider that loads.
 *
 * <p>Providers that fail to load, and names that two providers claim, are recorded as {@link
 * LoadProblem}s by name; the other providers stay usable.
 *
 * @param <P> the provider type
 */
public final class PluginRegistry<P extends Plugin> {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final String kind;
    private final Map<String, P> providers = new LinkedHashMap<>();
    private final Map<String, List<String>> duplicates = new LinkedHashMap<>();
    private final List<LoadProblem> problems = new ArrayList<>();
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    PluginRegistry(
            String kind,
            Iterator<P> discovered,
            UnaryOperator<String> systemProperties,
            UnaryOperator<String> environment) {
        this(kind, discovered, systemProperties, environment, null);
    }

    /**
     * Registers what {@code discovered} yields, recording the providers that fail to load.
     *
     * @param declared the provider class names listed in the services files the iterator reads,
     *     used to name a provider whose class cannot even be defined; null when unknown
     */
    PluginRegistry(
            String kind,
            Iterator<P> discovered,
            UnaryOperator<String> systemProperties,
            UnaryOperator<String> environment,
            DeclaredProviders declared) {
        this.kind = kind;
        this.systemProperties = systemProperties;
        this.environment = environment;
        Map<String, P> seen = new LinkedHashMap<>();
        Set<String> accounted = new HashSet<>();
        while (true) {
            P provider;
            try {
                if (!discovered.hasNext()) {
                    break;
                }
                provider = discovered.next();
            } catch (ServiceConfigurationError e) {
                // ServiceLoader names the class in its message; the loop goes on with the next
                // entry.
                String providerClass = providerClassIn(e);
                accounted.add(providerClass);
                problems.add(
                        new LoadProblem(
                                providerClass,
                                "failed to load: " + describe(e) + missingClassHint(e),
                                e));
                LOG.warn(
                        "A {} provider failed to load: {}{}",
                        kind,
                        describe(e),
                        missingClassHint(e));
                continue;
            } catch (LinkageError e) {
                // A provider whose superclass or interface is missing fails while its class is
                // defined, before ServiceLoader knows it as a provider: the error names only the
                // missing class, so the provider is found among the declared names.
                String providerClass =
                        declared == null ? null : declared.firstUndefinable(accounted);
                if (providerClass != null) {
                    accounted.add(providerClass);
                }
                String reason =
                        e.getClass().getSimpleName() + ": " + describe(e) + missingClassHint(e);
                problems.add(
                        new LoadProblem(
                                providerClass != null
                                        ? providerClass
                                        : String.valueOf(e.getMessage()),
                                "failed to load: " + reason,
                                e));
                LOG.warn(
                        "A {} provider ({}) failed to load: {}",
                        kind,
                        providerClass != null ? providerClass : "class unknown",
                        reason);
                continue;
            }
            accounted.add(provider.getClass().getName());
            String name = provider.name().toLowerCase(Locale.ROOT);
            P earlier = seen.putIfAbsent(name, provider);
            if (earlier != null) {
                duplicates
                        .computeIfAbsent(
                                name, n -> new ArrayList<>(List.of(earlier.getClass().getName())))
                        .add(provider.getClass().getName());
            }
        }
        for (Map.Entry<String, P> e : seen.entrySet()) {
            List<String> classes = duplicates.get(e.getKey());
            if (classes == null) {
                providers.put(e.getKey(), e.getValue());
            } else {
                problems.add(
                        new LoadProblem(
                                e.getKey(),
                                "the name is claimed by several providers: "
                                        + String.join(", ", classes)
                                        + "; remove all but one jar from the class path and the plugin folders",
                                null));
                LOG.warn(
                        "The {} name '{}' is claimed by several providers: {}",
                        kind,
                        e.getKey(),
                        classes);
            }
        }
    }

    /**
     * Finds every provider of {@code type} with {@link ServiceLoader} in {@code loader}.
     *
     * @param kind the word used in messages, property and variable names, e.g. {@code backend}
     */
    public static <P extends Plugin> PluginRegistry<P> load(
            String kind, Class<P> type, ClassLoader loader) {
        return new PluginRegistry<>(
                kind,
                ServiceLoader.load(type, loader).iterator(),
                System::getProperty,
                System::getenv,
                new DeclaredProviders(type, loader));
    }

    /** As {@link #load(String, Class, ClassLoader)} with the loader that loaded {@code type}. */
    public static <P extends Plugin> PluginRegistry<P> load(String kind, Class<P> type) {
        return load(
                kind,
                type,
                Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader()
                        : type.getClassLoader());
    }

    /** Builds a registry from given providers (for tests and embedding). */
    public static <P extends Plugin> PluginRegistry<P> of(
            String kind,
            List<P> providers,
            UnaryOperator<String> systemProperties,
            UnaryOperator<String> environment) {
        return new PluginRegistry<>(kind, providers.iterator(), systemProperties, environment);
    }

    /** The word used in messages, e.g. {@code backend}. */
    public String kind() {
        return kind;
    }

    /** The usable providers by name, in rank order (highest first, then by name). */
    public List<P> providers() {
        List<P> list = new ArrayList<>(providers.values());
        list.sort(
                Comparator.comparingInt((P p) -> -p.rank())
                        .thenComparing(p -> p.name().toLowerCase(Locale.ROOT)));
        return Collections.unmodifiableList(list);
    }

    /** The usable providers keyed by name. */
    public Map<String, P> byName() {
        return Collections.unmodifiableMap(providers);
    }

    /** Providers that could not be used, and why. */
    public List<LoadProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The system property consulted when nothing is configured: {@code rankwise.<kind>}. */
    public String propertyName() {
        return "rankwise." + kind;
    }

    /** The environment variable consulted after the property: {@code RANKWISE_<KIND>}. */
    public String environmentName() {
        return "RANKWISE_" + kind.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The name asked for: {@code configured} if not blank, else the system property, else the
     * environment variable; empty when none is set.
     */
    public Optional<String> requestedName(String configured) {
        for (String candidate :
                new String[] {
                    configured,
                    systemProperties.apply(propertyName()),
                    environment.apply(environmentName())
                }) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.trim().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    /**
     * The provider called {@code name}.
     *
     * @throws IllegalArgumentException naming the kind, the value, the available names and any
     *     problem recorded under that name
     */
    public P get(String name) {
        P p = providers.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        return p;
    }

    /**
     * Chooses by the policy and creates with {@code factory}. A requested name is used or fails;
     * without one, providers are tried in rank order and those whose {@code factory} throws are
     * recorded as problems and skipped.
     *
     * @throws IllegalArgumentException for an unknown requested name
     * @throws PluginStartException when no provider exists or none could be created, listing why
     */
    public <T> Selection<P, T> select(String configured, Function<P, T> factory) {
        Optional<String> requested = requestedName(configured);
        if (requested.isPresent()) {
            P p = get(requested.get());
            try {
                return new Selection<>(p, factory.apply(p));
            } catch (RuntimeException | LinkageError e) {
                throw new PluginStartException(
                        "the " + kind + " '" + p.name() + "' failed to start: " + describe(e), e);
            }
        }
        if (providers.isEmpty()) {
            throw new PluginStartException(
                    "no "
                            + kind
                            + " provider is on the class path"
                            + problemSuffix()
                            + "; add a "
                            + kind
                            + " module's jar (and its native jar) to the class path");
        }
        for (P p : providers()) {
            try {
                return new Selection<>(p, factory.apply(p));
            } catch (RuntimeException | LinkageError e) {
                problems.add(new LoadProblem(p.name(), "failed to start: " + describe(e), e));
                LOG.warn(
                        "The {} '{}' failed to start, trying the next: {}",
                        kind,
                        p.name(),
                        describe(e));
            }
        }
        throw new PluginStartException("no " + kind + " could be started" + problemSuffix());
    }

    /**
     * Chooses by the policy without creating anything (the first in rank order when nothing is
     * asked).
     */
    public P choose(String configured) {
        return requestedName(configured)
                .map(this::get)
                .orElseGet(
                        () -> {
                            if (providers.isEmpty()) {
                                throw new IllegalStateException(
                                        "no "
                                                + kind
                                                + " provider is on the class path"
                                                + problemSuffix());
                            }
                            return providers().get(0);
                        });
    }

    private String unknown(String name) {
        StringBuilder sb =
                new StringBuilder(kind + " '" + name + "' is not available; available: ");
        sb.append(
                providers.isEmpty()
                        ? "(none)"
                        : String.join(", ", providers().stream().map(Plugin::name).toList()));
        for (LoadProblem problem : problems) {
            if (problem.provider().equalsIgnoreCase(name)) {
                sb.append("; '").append(name).append("' is unusable: ").append(problem.message());
            }
        }
        if (problems.stream().noneMatch(pr -> pr.provider().equalsIgnoreCase(name))
                && !problems.isEmpty()) {
            sb.append(problemSuffix());
        }
        return sb.toString();
    }

    private String problemSuffix() {
        if (problems.isEmpty()) {
            return "";
        }
        return " (unusable: "
                + String.join("; ", problems.stream().map(LoadProblem::toString).toList())
                + ")";
    }

    private static String providerClassIn(Throwable e) {
        // ServiceLoader messages read "<service>: Provider <class> could not be instantiated".
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("Provider ");
        if (i >= 0) {
            String rest = m.substring(i + "Provider ".length());
            int end = rest.indexOf(' ');
            return end > 0 ? rest.substring(0, end) : rest;
        }
        return m;
    }

    /**
     * A hint when a class a provider needs is missing: the usual cause is a dependency jar left
     * out.
     */
    private static String missingClassHint(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NoClassDefFoundError) {
                return " (a class it needs is missing: put the jars the plugin depends on beside it,"
                        + " on the class path or in the plugins folder)";
            }
        }
        return "";
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != e) {
            sb.append(" <- ")
                    .append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage());
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    /**
     * The provider class names listed in the services files of one type in one loader, in
     * ServiceLoader's order, read only when a provider's class cannot be defined.
     */
    static final class DeclaredProviders {
        private final Class<?> type;
        private final ClassLoader loader;

        DeclaredProviders(Class<?> type, ClassLoader loader) {
            this.type = type;
            this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
        }

        /**
         * The first declared class, not yet {@code accounted} for, that fails to be defined with a
         * {@link LinkageError}: ServiceLoader goes through the declared names in order, so that is
         * the one it just failed on. Null when none is found (the services files changed, or could
         * not be read).
         */
        String firstUndefinable(Set<String> accounted) {
            for (String name : names()) {
                if (accounted.contains(name)) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                } catch (LinkageError e) {
                    return name;
                } catch (ClassNotFoundException e) {
                    // ServiceLoader reports a missing provider class itself, by name.
                }
            }
            return null;
        }

        private List<String> names() {
            Set<String> names = new LinkedHashSet<>();
            try {
                Enumeration<URL> files = loader.getResources("META-INF/services/" + type.getName());
                while (files.hasMoreElements()) {
                    URL file = files.nextElement();
                    try (BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(
                                            file.openStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            int comment = line.indexOf('#');
                            String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                            if (!name.isEmpty()) {
                                names.add(name);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "Could not read the services files of {}: {}",
                        type.getName(),
                        e.toString());
            }
            return new ArrayList<>(names);
        }
    }

    /**
     * A chosen provider and what it created.
     *
     * @param provider the provider chosen
     * @param created what its factory returned
     */
    public record Selection<P, T>(P provider, T created) {}
}
