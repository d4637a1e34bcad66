package io.rankwise.models.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an example came from: a file and a 1-based line, or line 0 when the file holds one example
 * (a SpamAssassin message). Printed as {@code file:line} so messages point at the row.
 */
public record Source(Path file, int line) {
    public Source {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException(
                    "line = " + line + "; expected 0 (whole file) or a 1-based line");
        }
    }

    /**
     * A key that names the example independently of where the data folder lives (parent folder,
     * file name, line), so that hash-based selections do not change when the data moves.
     */
    public String stableKey() {
        Path name = file.getFileName();
        Path parent = file.getParent() == null ? null : file.getParent().getFileName();
        return (parent == null ? "" : parent + "/") + name + ":" + line;
    }

    @Override
    public String toString() {
        return line == 0 ? file.toString() : file + ":" + line;
    }
}
