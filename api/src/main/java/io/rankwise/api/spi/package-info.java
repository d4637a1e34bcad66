/**
 * Service-provider interfaces: what a plugin jar implements and lists under {@code
 * META-INF/services}. Providers are discovered by {@link io.rankwise.api.plugin.PluginRegistry}.
 */
package io.rankwise.api.spi;
