package io.rankwise.cli.config;

/**
 * A configuration that cannot be used: an unknown key, a value of the wrong type or out of range, a
 * malformed {@code --set} override or unreadable YAML. The message names the key (with its path),
 * the value and what would be accepted. It is an {@link IllegalArgumentException} so that the
 * command line exits with status 2, as for any other bad input.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that names the key, the value and what is accepted. */
    public ConfigException(String message) {
        super(message);
    }

    /** An error caused by {@code cause} (a YAML syntax error, for example). */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
