package io.rankwise.api.grid;

/**
 * Hears about a grid as it runs, on the caller's side (the driver, for a cluster executor).
 *
 * @param <R> the cells' result record
 */
public interface GridListener<R> {

    /** Cell {@code index} started on its first attempt (only executors that can tell, say so). */
    default void started(int index, String host) {}

    /** A cell finished; called once per cell, in the order cells finish. */
    void finished(CellDone<R> done);
}
