/**
 * The backend-neutral core: {@link io.rankwise.api.Tensor}, {@link io.rankwise.api.Ops},
 * differentiation and compiled {@link io.rankwise.api.StepFunction}s on a
 * {@link io.rankwise.api.Backend}. Depends on no engine.
 */
package io.rankwise.api;
