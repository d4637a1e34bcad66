package io.rankwise.cli.command;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A backend whose engine does not start, as one whose natives are missing: {@link #create} throws
 * an {@link UnsatisfiedLinkError}. Not listed in this module's services (it would be found by every
 * test); {@link #pluginJar} lists it in a plugin jar of its own, for {@code --plugins}.
 */
public final class StartFailingBackend implements BackendProvider {
    /** Its name. */
    public static final String NAME = "broken";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a backend whose natives do not load (tests)";
    }

    @Override
    public int rank() {
        return -100;
    }

    /**
     * A plugin jar in {@code dir} that lists this class as a backend provider (the class itself
     * comes from the test class path, the plugin loader's parent).
     */
    public static Path pluginJar(Path dir) throws IOException {
        Path jar = dir.resolve("broken-backend.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry("META-INF/services/" + BackendProvider.class.getName()));
            j.write((StartFailingBackend.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    @Override
    public Backend create(Device device) {
        throw new UnsatisfiedLinkError("no broken_jni in java.library.path");
    }
}
