/** The only package that sees Guice: plugin maps by name, and a run's chosen bindings. */
package io.rankwise.api.wiring;
