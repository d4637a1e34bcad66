package io.rankwise.testing;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.BackendProvider;
import io.rankwise.api.spi.Plugin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends under test, found by discovery (never by class name) on the test class path: in a
 * backend's own module that is the backend alone, in a module that depends on several it is all of
 * them. Each is created once per test run on the CPU, shared by the test classes, and closed when
 * the run ends (the extension registers the closing with JUnit's root store; a shutdown hook is the
 * fallback).
 *
 * <p>Two system properties steer it (the parent pom passes both to surefire):
 *
 * <ul>
 *   <li>{@value #REQUIRED}: comma-separated names that must be discovered. A module whose tests
 *       depend on backends names them, so that a backend which fails to register or to load fails
 *       the tests, with the registry's load problems, instead of leaving nothing to run.
 *   <li>{@value #ONLY}: narrows a local run to these names ({@code -Drankwise.test.backends=djl});
 *       a module that has none of them on its class path runs its backend tests on none. CI never
 *       sets it.
 * </ul>
 *
 * <p>Used as an extension ({@code @ExtendWith(Backends.class)}), it also disables the whole class
 * when there is no backend to run on: the published conformance suite is compiled in the testing
 * module, which cannot depend on any backend, and runs for real where a backend pulls it in.
 */
public final class Backends implements BeforeAllCallback, ExecutionCondition {
    /** The system property naming the backends that must be discovered. */
    public static final String REQUIRED = "rankwise.test.required";

    /** The system property that narrows a run to some of the discovered backends. */
    public static final String ONLY = "rankwise.test.backends";

    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(Backends.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Backends::closeAll, "close-test-backends"));
    }

    /** Used by JUnit through {@code @ExtendWith}. */
    public Backends() {}

    /**
     * Disables the class when there is no backend to run on, so that it is reported as skipped with
     * the reason. A module that must have backends says so with {@value #REQUIRED}, and then {@link
     * #names()} throws here, which fails the class instead.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        return names().isEmpty()
                ? ConditionEvaluationResult.disabled(
                        "no backend to test on this class path (discovered "
                                + discovered()
                                + ", "
                                + ONLY
                                + "="
                                + property(ONLY)
                                + ")")
                : ConditionEvaluationResult.enabled("backends " + names());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "closer", k -> (AutoCloseable) Backends::closeAll, AutoCloseable.class);
    }

    /**
     * Names of the discovered backend providers, sorted, narrowed to those {@value #ONLY} names
     * when it is set. Empty when no backend is on the class path and none is required.
     *
     * @throws IllegalStateException when one of {@link #required()} is not discovered, with the
     *     registry's load problems
     */
    public static List<String> names() {
        PluginRegistry<BackendProvider> registry = Plugins.discover().backends();
        List<String> names = registry.providers().stream().map(Plugin::name).sorted().toList();
        List<String> required = required();
        if (!names.containsAll(required)) {
            throw new IllegalStateException(
                    REQUIRED
                            + " asks for the backends "
                            + required
                            + " on the test class path,"
                            + " discovered "
                            + names
                            + "; load problems: "
                            + registry.problems());
        }
        List<String> wanted = list(ONLY);
        return wanted.isEmpty() ? names : names.stream().filter(wanted::contains).toList();
    }

    /** The backends this module's tests must discover ({@value #REQUIRED}); empty when unset. */
    public static List<String> required() {
        return list(REQUIRED);
    }

    private static List<String> discovered() {
        return Plugins.discover().backends().providers().stream()
                .map(Plugin::name)
                .sorted()
                .toList();
    }

    private static String property(String name) {
        return System.getProperty(name, "");
    }

    private static List<String> list(String property) {
        return Arrays.stream(property(property).split(","))
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .toList();
    }

    /** (backend, dtype) pairs for every discovered backend and both floating types. */
    public static Stream<Arguments> withFloatTypes() {
        List<Arguments> out = new ArrayList<>();
        for (String n : names()) {
            out.add(Arguments.of(n, DType.FLOAT64));
            out.add(Arguments.of(n, DType.FLOAT32));
        }
        return out.stream();
    }

    /** The shared backend for a discovered provider name, created on first use on the CPU. */
    public static Backend get(String name) {
        return CREATED.computeIfAbsent(
                name, n -> Plugins.discover().backends().get(n).create(Device.cpu()));
    }

    /**
     * A variable name (or name prefix: it ends with a dot) not used before in this JVM (backends
     * are shared between tests).
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
