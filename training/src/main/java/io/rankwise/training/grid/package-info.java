/**
 * The built-in grid executor: cells one after another in this process ({@link
 * io.rankwise.training.grid.InProcessExecutorProvider}, executor {@code in-process}).
 */
package io.rankwise.training.grid;
