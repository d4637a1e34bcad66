package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rank_pattern.json} is written atomically: a write that fails midway (a full disk) keeps
 * the earlier file, whole, and leaves no temporary file behind; a good write has the format it
 * always had.
 */
class RunArtifactsTest {
    @TempDir Path dir;

    @Test
    void aWriteThatFailsMidwayKeepsTheEarlierFileAndNoTemporary() throws IOException {
        Path file = dir.resolve(RunArtifacts.RANK_PATTERN_FILE);
        Map<String, boolean[]> before = new LinkedHashMap<>();
        before.put("layer.0.attention.self.query", new boolean[] {true, false, true});
        before.put("layer.0.attention.self.value", new boolean[] {false, false, true});
        RunArtifacts.writeRankPattern(file, before);
        String written = Files.readString(file, StandardCharsets.UTF_8);

        // The second module fails as the disk fills up: the first is already in the file.
        Map<String, boolean[]> failing = failingAfterFirst("No space left on device");
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () -> RunArtifacts.writeRankPattern(file, failing));
        assertEquals("No space left on device", e.getCause().getMessage());

        assertEquals(written, Files.readString(file, StandardCharsets.UTF_8), "the earlier file");
        assertEquals(List.of(file.getFileName().toString()), names(dir), "no temporary file left");
    }

    @Test
    void theFileIsTheRankPatternAsPrettyPrintedJson() throws IOException {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        pattern.put("layer.0.attention.self.query", new boolean[] {true, false});
        pattern.put("layer.1.output.dense", new boolean[] {});
        Path file = dir.resolve(RunArtifacts.RANK_PATTERN_FILE);
        RunArtifacts.writeRankPattern(file, pattern);
        // What runs wrote before: a pretty-printed object of boolean arrays.
        ObjectMapper json = new ObjectMapper();
        assertEquals(
                json.writerWithDefaultPrettyPrinter().writeValueAsString(pattern),
                Files.readString(file, StandardCharsets.UTF_8));
    }

    private static Map<String, boolean[]> failingAfterFirst(String problem) {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<String, boolean[]>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public int size() {
                        return 2;
                    }

                    @Override
                    public Iterator<Entry<String, boolean[]>> iterator() {
                        return new Iterator<>() {
                            private int next;

                            @Override
                            public boolean hasNext() {
                                return next < 2;
                            }

                            @Override
                            public Entry<String, boolean[]> next() {
                                if (next++ == 0) {
                                    return Map.entry(
                                            "layer.0.attention.self.query",
                                            new boolean[] {true, true, true});
                                }
                                throw new UncheckedIOException(new IOException(problem));
                            }
                        };
                    }
                };
            }
        };
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
