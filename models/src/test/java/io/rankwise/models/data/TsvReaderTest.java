package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvReaderTest {
    @Test
    void quotesAreOrdinaryAndCrLfAndBomAreHandled(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.tsv");
        Files.write(
                f,
                new byte[] {
                    (byte) 0xEF,
                    (byte) 0xBB,
                    (byte) 0xBF,
                    'a',
                    '\t',
                    '"',
                    'b',
                    '\r',
                    '\n',
                    '"',
                    '\t',
                    '\t',
                    '\n',
                    '\n'
                });
        try (TsvReader r = new TsvReader(f)) {
            TsvReader.Row first = r.next();
            assertEquals(1, first.line());
            assertArrayEquals(new String[] {"a", "\"b"}, first.fields());
            TsvReader.Row second = r.next();
            assertEquals(2, second.line());
            assertArrayEquals(
                    new String[] {"\"", "", ""}, second.fields()); // trailing empty fields kept
            assertNull(r.next()); // the trailing blank line is not a row
        }
    }
}
