/**
 * The one place a run is assembled: {@link io.rankwise.training.wiring.RunAssembly} builds a Guice
 * injector from the process's plugins and a {@link io.rankwise.training.spec.RunSpec}, and injects
 * the {@link io.rankwise.training.wiring.RunParts} that training, evaluation and export use.
 */
package io.rankwise.training.wiring;
