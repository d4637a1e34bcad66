/**
 * One AdaLoRA training step (docs/algorithms.md §2): forward and backward at the optimizer's
 * weights, the update, the importance metric's observation, then the allocator's masking.
 */
package io.rankwise.training.step;
