/**
 * Fine-tuning runs: {@link io.rankwise.training.Rankwise} (the plain-Java entry point), the loop
 * ({@link io.rankwise.training.FineTuning}), what a run reports ({@link
 * io.rankwise.training.RunListener}) and returns ({@link io.rankwise.training.RunResult}), and what
 * it leaves in its folder ({@link io.rankwise.training.RunArtifacts}).
 */
package io.rankwise.training;
