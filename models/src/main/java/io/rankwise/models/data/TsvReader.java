package io.rankwise.models.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A tolerant reader of tab-separated files: a row is a line split at every tab, nothing more.
 * Quotes are ordinary characters, because GLUE's TSVs hold unbalanced quotes that a CSV-style
 * parser would run across lines. Lines end at \n or \r\n; a UTF-8 byte-order mark at the start
 * (MRPC's header has one) is dropped; invalid UTF-8 becomes U+FFFD rather than failing the file.
 * Empty lines at the end of a file are ignored; an empty line elsewhere is returned as a row with
 * one empty field, so that the caller reports it as malformed instead of losing it.
 */
public final class TsvReader implements Closeable {
    /** One line of the file, with its 1-based line number. */
    public record Row(int line, String[] fields) {
        /** The number of fields (tabs + 1). */
        public int width() {
            return fields.length;
        }
    }

    private final Path file;
    private final BufferedReader reader;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final List<Row> blanks = new ArrayList<>();
    private int line;

    public TsvReader(Path file) throws IOException {
        this.file = file;
        // InputStreamReader (unlike Files.newBufferedReader) replaces bad bytes instead of
        // throwing.
        this.reader =
                new BufferedReader(
                        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The next row, or {@code null} at the end of the file. */
    public Row next() throws IOException {
        while (ready.isEmpty()) {
            String text = reader.readLine();
            if (text == null) {
                return null; // blank lines held back were trailing ones
            }
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            Row row = new Row(line, text.split("\t", -1));
            if (text.isEmpty()) {
                blanks.add(row); // data only if a non-blank line follows
            } else {
                ready.addAll(blanks);
                blanks.clear();
                ready.add(row);
            }
        }
        return ready.poll();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
