package io.rankwise.backend.djl;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Functions exported by the libtorch this process has loaded (Linux: found in /proc/self/maps), for
 * the MKL settings that DJL has no call for.
 */
final class LoadedLibtorch {
    private static final int RTLD_LAZY = 0x1;

    /** Only a handle to a library already loaded: nothing is loaded or made global. */
    private static final int RTLD_NOLOAD = 0x4;

    private LoadedLibtorch() {}

    /**
     * The function {@code name} of the loaded {@code libtorch_cpu.so}; empty when libtorch is not
     * loaded, does not export it (a build without MKL), or the platform has no /proc.
     */
    static Optional<Function> function(String name) {
        try {
            Optional<Path> torch = mapped("libtorch_cpu.so");
            if (torch.isEmpty()) {
                return Optional.empty();
            }
            // Local scope: JNA's default, global, would expose libtorch's symbols to libraries
            // loaded later (TensorFlow's, in the same JVM).
            NativeLibrary library =
                    NativeLibrary.getInstance(
                            torch.get().toString(),
                            Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
            return Optional.of(library.getFunction(name));
        } catch (IOException | UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    /** The path of a shared library this process has mapped. */
    private static Optional<Path> mapped(String fileName) throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(maps)) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/" + fileName)) {
                return Optional.of(Path.of(line.substring(slash)));
            }
        }
        return Optional.empty();
    }
}
