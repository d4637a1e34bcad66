/**
 * What a run is, as a value: {@link io.rankwise.training.spec.RunSpec} (immutable, serializable),
 * the learning-rate schedules, the task names and model sources it refers to.
 */
package io.rankwise.training.spec;
