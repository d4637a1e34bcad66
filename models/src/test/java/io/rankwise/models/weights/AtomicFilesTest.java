package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails halfway, as on a full disk, leaves the previous file as it was, no temporary
 * file behind, and an error that names the file.
 */
class AtomicFilesTest {

    @Test
    void aWriteThatFailsHalfwayKeepsThePreviousFileAndNamesTheTarget(@TempDir Path dir)
            throws IOException {
        Path target = dir.resolve("state.bin");
        Files.writeString(target, "the previous checkpoint");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.replace(
                                        target,
                                        temp -> {
                                            try (OutputStream out = Files.newOutputStream(temp)) {
                                                out.write(new byte[1000]);
                                                throw new IOException("No space left on device");
                                            }
                                        }));
        assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
        assertEquals("the previous checkpoint", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void aWriteThatSucceedsReplacesTheFileWhole(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub").resolve("rank_pattern.json");
        AtomicFiles.replace(target, temp -> Files.writeString(temp, "{}"));
        assertEquals("{}", Files.readString(target));
        Path fixed = dir.resolve("sub").resolve("rank_pattern.json.tmp");
        Files.writeString(fixed, "left by a killed run");
        AtomicFiles.replace(target, fixed, temp -> Files.writeString(temp, "{\"a\": 1}"));
        assertEquals("{\"a\": 1}", Files.readString(target));
        assertFalse(Files.exists(fixed), "the fixed temporary name is taken over and removed");
        assertTrue(Files.isRegularFile(target));
    }

    /**
     * BertConfig.writeJson goes through a rename: a hard link to the old config.json keeps the old
     * content (an in-place write would have changed it too, and a kill halfway would have left half
     * a file), and the new file reads back as the config written.
     */
    @Test
    void bertConfigJsonIsReplacedByARename(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("config.json");
        Files.writeString(target, "{\"the\": \"previous config\"}");
        Path oldInode = Files.createLink(dir.resolve("old.json"), target);
        TinyBert.CONFIG.writeJson(target);
        assertEquals("{\"the\": \"previous config\"}", Files.readString(oldInode));
        assertEquals(TinyBert.CONFIG, BertConfig.fromJson(target));
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("config.json", "old.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }
    }
}
