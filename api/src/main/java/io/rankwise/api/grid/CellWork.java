package io.rankwise.api.grid;

import java.io.Serializable;

/**
 * What one cell of a grid computes. It is serializable because an executor may ship it to another
 * JVM or machine, together with the cell; it must therefore hold no open resources, only what it
 * needs to rebuild them there.
 *
 * @param <C> the cell: a serializable description of one run
 * @param <R> the cell's result record, shipped back to the caller
 */
@FunctionalInterface
public interface CellWork<C extends Serializable, R extends Serializable> extends Serializable {

    /**
     * Computes {@code cell} with the resources that {@code context} grants. An executor may call it
     * again for the same cell after a failure (a lost machine, a killed process), so it must cope
     * with what an earlier, interrupted attempt left behind.
     */
    R run(C cell, CellContext context) throws Exception;
}
