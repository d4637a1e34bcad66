package io.rankwise.backend.djl;

import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * Where DJL takes libtorch from in this JVM, found the way DJL 0.36 looks for it but without
 * loading anything: for the errors that say which step of the GPU path is missing. In DJL's order:
 * {@code PYTORCH_LIBRARY_PATH} (environment or system property), else a {@code pytorch-native-*}
 * jar on the class path (Rankwise's CPU build brings {@code pytorch-native-cpu}), else a download
 * from DJL's own server into its cache at first use (a {@code -Pgpu} build), in the flavour {@code
 * PYTORCH_FLAVOR} names.
 *
 * @param source which of the three
 * @param detail the path, the jar's flavour, or the flavour asked for
 */
record Natives(Source source, String detail) {
    /** The CUDA flavour of DJL's libtorch 2.7.1 builds (the JNI in pytorch-jni 2.7.1-0.36.0). */
    static final String CUDA_FLAVOR = "cu128";

    /** What to do for a GPU, whatever the current source: README "GPU" has the details. */
    static final String GPU_STEPS =
            "for a GPU, build with -Pgpu (./rankwise --gpu) so that DJL fetches its CUDA build of"
                    + " libtorch (PYTORCH_FLAVOR="
                    + CUDA_FLAVOR
                    + "), or set PYTORCH_LIBRARY_PATH to the lib folder of a CUDA build of libtorch"
                    + " 2.7.1 with PYTORCH_FLAVOR="
                    + CUDA_FLAVOR
                    + " and PYTORCH_VERSION=2.7.1 (README: GPU)";

    /** The three places. */
    enum Source {
        LIBRARY_PATH,
        CLASS_PATH,
        DOWNLOAD
    }

    /** Where this JVM's libtorch comes (or came) from. */
    static Natives find() {
        String libraryPath = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (libraryPath != null && !libraryPath.isBlank()) {
            return new Natives(Source.LIBRARY_PATH, libraryPath);
        }
        URL bundled = bundledProperties();
        if (bundled != null) {
            Properties p = new Properties();
            try (InputStream in = bundled.openStream()) {
                p.load(in);
            } catch (IOException e) {
                // The flavour is only for the message; the jar itself is still what DJL uses.
            }
            return new Natives(Source.CLASS_PATH, p.getProperty("flavor", "unknown"));
        }
        String flavor = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
        return new Natives(
                Source.DOWNLOAD, flavor == null || flavor.isBlank() ? "" : flavor.trim());
    }

    /** The properties file a pytorch-native-* jar carries, null when there is none. */
    private static URL bundledProperties() {
        try {
            return ClassLoaderUtils.getResource("native/lib/pytorch.properties");
        } catch (IOException e) {
            return null; // only for the message, which then names DJL's download path
        }
    }

    /** The source in words, e.g. {@code ai.djl.pytorch:pytorch-native-cpu on the class path}. */
    String describe() {
        return switch (source) {
            case LIBRARY_PATH -> "PYTORCH_LIBRARY_PATH=" + detail;
            case CLASS_PATH -> "ai.djl.pytorch:pytorch-native-" + detail + " on the class path";
            case DOWNLOAD ->
                    "fetched by DJL into "
                            + Utils.getEngineCacheDir("pytorch")
                            + (detail.isEmpty()
                                    ? " in the flavour DJL detected (PYTORCH_FLAVOR is unset)"
                                    : " in flavour PYTORCH_FLAVOR=" + detail);
        };
    }

    /**
     * Why a libtorch without CUDA was loaded and what to change, e.g. for the CPU build of
     * Rankwise: {@code it comes from ai.djl.pytorch:pytorch-native-cpu on the class path (a CPU
     * build of Rankwise); for a GPU, build with -Pgpu ...}.
     */
    String cpuOnlyReason() {
        return switch (source) {
            case CLASS_PATH ->
                    "it comes from " + describe() + " (a CPU build of Rankwise); " + GPU_STEPS;
            case LIBRARY_PATH ->
                    "PYTORCH_LIBRARY_PATH points at it ("
                            + detail
                            + "); point it at a CUDA build of libtorch 2.7.1 with PYTORCH_FLAVOR="
                            + CUDA_FLAVOR
                            + " and PYTORCH_VERSION=2.7.1, or unset it in a -Pgpu build";
            case DOWNLOAD ->
                    "it was "
                            + describe()
                            + "; set PYTORCH_FLAVOR="
                            + CUDA_FLAVOR
                            + " (./rankwise --gpu does) so that DJL fetches its CUDA build";
        };
    }

    /**
     * Why the engine failed to load, when the cause is the GPU path's download step (a {@code
     * -Pgpu} build has no natives on the class path); null otherwise, for the engine's own error.
     */
    String loadFailureReason() {
        if (source != Source.DOWNLOAD) {
            return null;
        }
        return "no PyTorch natives are on the class path (a -Pgpu build), and DJL could not fetch"
                + " libtorch 2.7.1 "
                + (detail.isEmpty() ? "" : "(flavour " + detail + ") ")
                + "into "
                + Utils.getEngineCacheDir("pytorch")
                + ": run once with the network and -Dai.djl.offline=false (./rankwise --gpu sets it"
                + " while that cache holds no CUDA build), or set PYTORCH_LIBRARY_PATH to the lib"
                + " folder of a CUDA build of libtorch 2.7.1 with PYTORCH_FLAVOR="
                + CUDA_FLAVOR
                + " and PYTORCH_VERSION=2.7.1";
    }
}
