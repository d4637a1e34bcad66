package io.rankwise.api.spi;

import io.rankwise.api.grid.GridException;
import io.rankwise.api.grid.GridExecutor;

/**
 * Makes a {@link GridExecutor}: where the cells of an ablation grid run. Listed in {@code
 * META-INF/services/io.rankwise.api.spi.GridExecutorProvider}. The built-in one runs cells one
 * after another in this process; others hand them to a cluster engine.
 */
public interface GridExecutorProvider extends Plugin {

    /**
     * Opens an executor with {@code options} (checked against {@link #options()}).
     *
     * @throws GridException if it cannot start, naming what it tried (a master URL, say)
     */
    GridExecutor open(Options options);
}
