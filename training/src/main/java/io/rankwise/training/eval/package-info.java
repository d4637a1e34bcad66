/**
 * Evaluation of a run on a split: task metrics with NLL, Brier score and ECE, at the posterior mean
 * or predictive.
 */
package io.rankwise.training.eval;
