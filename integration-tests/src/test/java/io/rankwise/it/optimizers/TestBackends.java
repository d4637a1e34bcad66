package io.rankwise.it.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Plugin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The discovered backends, created once per test JVM (natives load once) and closed at exit. */
public final class TestBackends {
    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static final AtomicLong NAMES = new AtomicLong();

    private TestBackends() {
    }

    /**
     * Names of every discovered backend; at least djl and tensorflow are expected. For a quick local
     * run on one backend, {@code -Drankwise.test.backends=djl} narrows the list (CI never sets it).
     */
    public static List<String> names() {
        List<String> names = Plugins.discover().backends().providers().stream().map(Plugin::name).sorted().toList();
        String only = System.getProperty("rankwise.test.backends");
        if (only != null && !only.isBlank()) {
            List<String> wanted = List.of(only.split(","));
            if (!names.containsAll(wanted)) {
                throw new IllegalStateException("rankwise.test.backends asks for " + wanted + " but only " + names + " were found");
            }
            return wanted;
        }
        if (!names.containsAll(List.of("djl", "tensorflow"))) {
            throw new IllegalStateException("expected the djl and tensorflow backends on the test class path, found " + names);
        }
        return names;
    }

    public static Backend get(String name) {
        return CREATED.computeIfAbsent(name, n -> {
            Backend b = Plugins.discover().backends().get(n).create(Device.cpu());
            Runtime.getRuntime().addShutdownHook(new Thread(b::close));
            return b;
        });
    }

    /** A variable-name prefix not used before in this JVM (backends are shared between tests). */
    public static String unique(String stem) {
        return stem + "#" + NAMES.incrementAndGet() + ".";
    }
}
