package io.rankwise.api.grid;

/**
 * A grid could not be run to its end: the executor could not start (a master that cannot be
 * reached, say), or a cell failed on every attempt the executor allows. The message names what
 * failed; cells that finished before it have delivered their results to the listener.
 */
public class GridException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public GridException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public GridException(String message, Throwable cause) {
        super(message, cause);
    }
}
