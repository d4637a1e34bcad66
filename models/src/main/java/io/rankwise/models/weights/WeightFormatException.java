package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file (ONNX, safetensors, a checkpoint folder) that cannot be read because its contents
 * are malformed, truncated, or use a feature this reader does not support. The message names the
 * file and the problem.
 */
public class WeightFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}, described by {@code problem}. */
    public WeightFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file}, described by {@code problem}, caused by {@code cause}. */
    public WeightFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
