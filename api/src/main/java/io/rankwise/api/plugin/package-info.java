/** Discovery of providers with ServiceLoader, and the one policy for choosing among them. */
package io.rankwise.api.plugin;
