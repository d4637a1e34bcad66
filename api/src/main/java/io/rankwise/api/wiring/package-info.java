/**
 * The bridge from the plugin registry into Guice: plugin maps by name (a run binds its choices in
 * the training module).
 */
package io.rankwise.api.wiring;
