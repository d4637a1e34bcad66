package io.rankwise.models.data;

import java.nio.file.Path;

/** Bad data in a file: the message starts with {@code file:line} and says what was expected. */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Source source;

    public DataFormatException(Source source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public DataFormatException(Path file, int line, String problem) {
        this(new Source(file, line), problem);
    }

    /** The file and line of the bad data. */
    public Source source() {
        return source;
    }

    /** The problem without the location prefix. */
    public String problem() {
        String m = getMessage();
        String prefix = source + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
