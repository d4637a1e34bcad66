package io.rankwise.api.grid;

/**
 * One cell finished: what a {@link GridExecutor} reports as the grid goes.
 *
 * @param index the cell's position in the list given to {@link GridExecutor#run}
 * @param host the host that ran it
 * @param result the cell's result
 * @param done how many cells have finished, this one included
 * @param total how many cells the grid has
 * @param <R> the result record
 */
public record CellDone<R>(int index, String host, R result, int done, int total) {}
