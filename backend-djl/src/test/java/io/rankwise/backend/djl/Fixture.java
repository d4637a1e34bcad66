package io.rankwise.backend.djl;

import io.rankwise.api.Device;

/** One backend shared by the tests of this module: loading libtorch once keeps them fast. */
final class Fixture {
    private static DjlBackend backend;

    private Fixture() {}

    static synchronized DjlBackend backend() {
        if (backend == null) {
            backend = (DjlBackend) new DjlBackendProvider().create(Device.cpu());
        }
        return backend;
    }

    /** A variable name no other test uses. */
    static String unique(String base) {
        return base + "." + System.nanoTime();
    }
}
