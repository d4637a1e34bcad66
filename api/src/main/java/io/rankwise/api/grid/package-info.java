/**
 * Grids of independent runs: a {@link io.rankwise.api.grid.GridExecutor} maps one serializable
 * {@link io.rankwise.api.grid.CellWork} over a list of serializable cells, in this process or on a
 * cluster engine, and reports each cell as it finishes. Executors are plugins ({@link
 * io.rankwise.api.spi.GridExecutorProvider}); what a cell computes is the caller's.
 */
package io.rankwise.api.grid;
