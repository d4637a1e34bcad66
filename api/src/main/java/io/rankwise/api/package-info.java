/**
 * The backend-neutral core: {@link io.rankwise.api.Tensor}, {@link io.rankwise.api.Ops},
 * differentiation and compiled {@link io.rankwise.api.StepFunction}s on a
 * {@link io.rankwise.api.Backend}. Depends on no engine. Compiled functions take their inputs as a
 * flat list; {@link io.rankwise.api.TensorRecords} and {@link io.rankwise.api.RecordFunction} let
 * callers pass named records instead, and are the only place that knows the positions.
 */
package io.rankwise.api;
