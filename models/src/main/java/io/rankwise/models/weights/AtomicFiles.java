package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file through a temporary sibling and a rename, so that a reader (or a run resumed
 * after a kill) sees the old file or the new one, never half of one. Used for weights, adapters,
 * checkpoints and logs alike.
 */
public final class AtomicFiles {

    /** Writes the new content into the temporary file it is given. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything into {@code temp}. */
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Replaces {@code target} via a fresh temporary file beside it (its folder is created if
     * missing).
     */
    public static void replace(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        replace(
                target,
                Files.createTempFile(dir, target.getFileName().toString(), ".tmp"),
                content);
    }

    /**
     * Replaces {@code target} via {@code temp}, which must be on the same file system; a fixed name
     * lets a later write take over a temporary file that a kill left behind. The temporary file is
     * gone afterwards, also when writing fails, and the previous {@code target} is left as it was.
     *
     * @throws IOException naming {@code target} when the content cannot be written (a full disk,
     *     say)
     */
    public static void replace(Path target, Path temp, Content content) throws IOException {
        try {
            try {
                content.writeTo(temp);
            } catch (IOException e) {
                // A full disk says "No space left on device" without naming the file.
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
