package io.rankwise.optimizers;

import io.rankwise.api.Tensor;
import io.rankwise.api.optim.Optimizer;

/**
 * The inputs of one regression step: the data and the optimizer's step inputs (fed through a {@link
 * io.rankwise.api.RecordFunction}).
 *
 * @param x the inputs, rows × d_in
 * @param y the targets, rows × d_out
 * @param optimizer what the optimizer's {@code stepInputs} made for this step
 */
record RegressionInputs(Tensor x, Tensor y, Optimizer.StepInputs optimizer) {}
