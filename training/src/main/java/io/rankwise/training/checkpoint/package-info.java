/** Checkpoints that resume a run exactly, and saved runs opened from their checkpoint. */
package io.rankwise.training.checkpoint;
