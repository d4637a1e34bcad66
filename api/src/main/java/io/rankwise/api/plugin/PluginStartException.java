package io.rankwise.api.plugin;

/**
 * A plugin could not be started: the one asked for threw when it was created (a backend's natives
 * failed to load, or a device it cannot use), or none of a kind could be. The message names the
 * plugin and why; the cause is what it threw. An {@link IllegalStateException}, as it was before it
 * had a type of its own, so that callers can tell an environment that cannot run a plugin (exit
 * code 1 on the command line; 2 when the cause is a value the plugin refused) from a bug.
 */
public final class PluginStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public PluginStartException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public PluginStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
