/**
 * The backend-neutral core: {@link io.rankwise.api.Tensor}, {@link io.rankwise.api.Ops},
 * differentiation and compiled {@link io.rankwise.api.StepFunction}s on a {@link
 * io.rankwise.api.Backend}, and {@link io.rankwise.api.OpChecks}, the argument checks every backend
 * runs so that a bad call fails with the same message on each. Depends on no engine.
 */
package io.rankwise.api;
