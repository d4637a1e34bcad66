package io.rankwise.api.plugin;

import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import io.rankwise.api.spi.BackendProvider;

/**
 * Small providers for discovery tests. They are real providers of the SPI (listed through a
 * services file in a temporary class-path folder), but their create() only records the call:
 * discovery policy is what is under test here, not an engine.
 */
final class FakeBackends {
    private FakeBackends() {}

    /**
     * Shared behaviour: a name, a rank, and a create() that fails with a given message or returns
     * null.
     */
    abstract static class Base implements BackendProvider {
        private final String name;
        private final int rank;
        private final String failure;

        Base(String name, int rank, String failure) {
            this.name = name;
            this.rank = rank;
            this.failure = failure;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test provider " + name;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public Backend create(Device device) {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return null;
        }
    }

    /** Ranked low, always works. */
    public static final class Alpha extends Base {
        public Alpha() {
            super("alpha", 1, null);
        }
    }

    /** Ranked high, always works. */
    public static final class Beta extends Base {
        public Beta() {
            super("beta", 5, null);
        }
    }

    /** Ranked highest, but its natives "fail to load" in create(). */
    public static final class Broken extends Base {
        public Broken() {
            super("broken", 9, "libfake.so: cannot open shared object file");
        }
    }

    /** Claims the name "beta" too. */
    public static final class BetaTwin extends Base {
        public BetaTwin() {
            super("beta", 3, null);
        }
    }

    /** Its constructor throws, as a provider whose class cannot initialise. */
    public static final class ThrowsInConstructor extends Base {
        public ThrowsInConstructor() {
            super("thrower", 0, null);
            throw new UnsupportedOperationException("constructor exploded");
        }
    }
}
