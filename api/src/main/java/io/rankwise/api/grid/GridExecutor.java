package io.rankwise.api.grid;

import java.io.Serializable;
import java.util.List;

/**
 * Runs every cell of a grid once and gives back their results in the cells' order. Cells are
 * independent: an executor may run them in any order, side by side, on other machines, and may
 * retry a cell whose attempt failed. Made by a {@link io.rankwise.api.spi.GridExecutorProvider}.
 */
public interface GridExecutor extends AutoCloseable {

    /** One line naming where cells run, e.g. {@code in-process} or {@code spark local[2]}. */
    String describe();

    /**
     * Runs {@code work} on each of {@code cells} and returns the results, {@code results.get(i)}
     * being cell {@code i}'s. {@code listener} hears of each cell as it finishes.
     *
     * @throws GridException if a cell failed on every attempt, or the executor could not run cells
     *     at all; the message names the cell or the reason
     */
    <C extends Serializable, R extends Serializable> List<R> run(
            List<C> cells, CellWork<C, R> work, GridListener<R> listener);

    /** Releases what the executor holds (a cluster connection, threads). */
    @Override
    void close();
}
