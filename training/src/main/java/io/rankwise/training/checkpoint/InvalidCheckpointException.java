package io.rankwise.training.checkpoint;

/**
 * A checkpoint file that cannot be used: truncated, corrupted (its checksum or a range check
 * fails), of another format version, written by another run's configuration, or not fitting the
 * model. Bad input, like the other {@link IllegalArgumentException}s the command line reports as
 * {@code rankwise: <message>} with exit code 2; the message names the file and what is wrong.
 */
public final class InvalidCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A refusal with its whole message (naming the file). */
    public InvalidCheckpointException(String message) {
        super(message);
    }

    /** A refusal with its whole message (naming the file), caused by {@code cause}. */
    public InvalidCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
