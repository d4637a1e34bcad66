package io.rankwise.api.spi;

import java.util.List;

/**
 * What every provider declares. Providers are found with {@link java.util.ServiceLoader}; their
 * constructors must be public, take no arguments and be cheap: heavy work (loading natives) waits
 * until the provider's {@code create} method.
 */
public interface Plugin {

    /** The name users select it by, lower case, e.g. {@code djl}, {@code ivon}, {@code snr}. */
    String name();

    /** One line saying what it is. */
    String description();

    /**
     * Preference when nothing is configured: the highest rank that loads wins. Ties go to the
     * alphabetically first name, so the choice never depends on class-path order.
     */
    default int rank() {
        return 0;
    }

    /**
     * The options it accepts, each declared once with its type, default, range and meaning (see
     * {@link Option}). {@link Options#parse(Plugin, java.util.Map)} checks given options against
     * them; {@code rankwise plugins} and the configuration documentation list them.
     */
    default List<Option<?>> options() {
        return List.of();
    }
}
