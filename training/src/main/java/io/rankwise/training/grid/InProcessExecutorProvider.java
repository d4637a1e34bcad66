package io.rankwise.training.grid;

import io.rankwise.api.grid.CellContext;
import io.rankwise.api.grid.CellDone;
import io.rankwise.api.grid.CellWork;
import io.rankwise.api.grid.GridException;
import io.rankwise.api.grid.GridExecutor;
import io.rankwise.api.grid.GridListener;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.Options;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executor {@code in-process}, the default: the cells run one after another on the calling thread,
 * with the engine's own thread settings, so that a grid's numbers and its folder are what separate
 * {@code train} runs would give. A cell that fails stops the grid (a retry would fail the same way
 * here) with a {@link GridException}, or with the {@link IllegalArgumentException} of bad input;
 * the cells before it keep their results.
 */
public final class InProcessExecutorProvider implements GridExecutorProvider {

    /** The name users select it by. */
    public static final String NAME = "in-process";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "cells one after another in this process (the default)";
    }

    @Override
    public int rank() {
        // The default executor: a cluster executor found on the class path must be asked for.
        return 100;
    }

    @Override
    public GridExecutor open(Options options) {
        return new InProcess();
    }

    private static final class InProcess implements GridExecutor {
        @Override
        public String describe() {
            return "in-process";
        }

        @Override
        public <C extends Serializable, R extends Serializable> List<R> run(
                List<C> cells, CellWork<C, R> work, GridListener<R> listener) {
            String host = CellContext.localHost();
            CellContext context = new CellContext(host, 0, Optional.empty(), 0);
            List<R> results = new ArrayList<>(cells.size());
            for (int i = 0; i < cells.size(); i++) {
                listener.started(i, host);
                R result;
                try {
                    result = work.run(cells.get(i), context);
                } catch (IllegalArgumentException | GridException e) {
                    throw e; // bad input, or already a grid's failure
                } catch (Exception e) {
                    throw new GridException(
                            "cell "
                                    + (i + 1)
                                    + " of "
                                    + cells.size()
                                    + " failed: "
                                    + e.getMessage(),
                            e);
                }
                results.add(result);
                listener.finished(new CellDone<>(i, host, result, i + 1, cells.size()));
            }
            return results;
        }

        @Override
        public void close() {}
    }
}
