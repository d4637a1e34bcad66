package io.rankwise.api.plugin;

/**
 * A provider that could not be used: it failed to load (class missing, constructor threw), failed
 * to create its engine (natives did not load), or shares its name with another provider; or a
 * plugin jar or folder that could not be read ({@link PluginPath#problems()}).
 *
 * @param provider the provider's name, or its class name when the name is unknown, or the path of
 *     the plugin jar or folder
 * @param message what went wrong, with the cause's message
 * @param cause the underlying exception, or null for a duplicate name
 */
public record LoadProblem(String provider, String message, Throwable cause) {
    @Override
    public String toString() {
        return provider + ": " + message;
    }
}
