package io.rankwise.cli.command;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;

/**
 * A backend whose engine does not start, as one whose natives are missing: {@link #create} throws
 * an {@link UnsatisfiedLinkError}. Not listed in this module's services (it would be found by every
 * test); {@link AblateCommandTest} puts it in a plugin jar of its own.
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

    @Override
    public Backend create(Device device) {
        throw new UnsatisfiedLinkError("no broken_jni in java.library.path");
    }
}
