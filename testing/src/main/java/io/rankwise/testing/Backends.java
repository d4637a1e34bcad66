package io.rankwise.conformance;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends under test, found by discovery (never by class name). Each is created once per test
 * run on the CPU, shared by the conformance classes, and closed when the run ends (the extension
 * registers the closing with JUnit's root store; a shutdown hook is the fallback).
 */
public final class Backends implements BeforeAllCallback {
    /** The backends this project ships; the suite fails when one is missing. */
    static final List<String> EXPECTED = List.of("djl", "tensorflow");

    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Backends.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Backends::closeAll, "close-conformance-backends"));
    }

    /** Used by JUnit through {@code @ExtendWith}. */
    public Backends() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("closer", k -> (AutoCloseable) Backends::closeAll,
                AutoCloseable.class);
    }

    /**
     * Names of every discovered backend provider, sorted. For a quick local run on one backend,
     * {@code -Drankwise.test.backends=djl} narrows the list (CI never sets it).
     *
     * @throws IllegalStateException when one of {@link #EXPECTED} is not discovered, with the
     *     registry's load problems
     */
    public static List<String> names() {
        PluginRegistry<BackendProvider> registry = Plugins.discover().backends();
        List<String> names = registry.providers().stream().map(Plugin::name).sorted().toList();
        String only = System.getProperty("rankwise.test.backends");
        if (only != null && !only.isBlank()) {
            List<String> wanted = List.of(only.split(","));
            if (!names.containsAll(wanted)) {
                throw new IllegalStateException("rankwise.test.backends asks for " + wanted + " but only " + names + " were found");
            }
            return wanted;
        }
        if (!names.containsAll(EXPECTED)) {
            throw new IllegalStateException("expected the backends " + EXPECTED + " on the test class path, discovered "
                    + names + "; load problems: " + registry.problems());
        }
        return names;
    }

    /** (backend, dtype) pairs for every discovered backend and both floating types. */
    static Stream<Arguments> withFloatTypes() {
        List<Arguments> out = new ArrayList<>();
        for (String n : names()) {
            out.add(Arguments.of(n, DType.FLOAT64));
            out.add(Arguments.of(n, DType.FLOAT32));
        }
        return out.stream();
    }

    /** The shared backend for a discovered provider name, created on first use on the CPU. */
    public static Backend get(String name) {
        return CREATED.computeIfAbsent(name, n -> Plugins.discover().backends().get(n).create(Device.cpu()));
    }

    /**
     * A variable name (or name prefix: it ends with a dot) not used before in this JVM (backends are
     * shared between tests).
     */
    public static String unique(String stem) {
        return "test." + stem + "." + NAMES.incrementAndGet() + ".";
    }

    private static synchronized void closeAll() {
        for (String n : new ArrayList<>(CREATED.keySet())) {
            Backend b = CREATED.remove(n);
            if (b != null) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    System.err.println("closing backend " + n + " failed: " + e);
                }
            }
        }
    }
}
