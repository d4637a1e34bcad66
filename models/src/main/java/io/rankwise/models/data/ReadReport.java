package io.rankwise.models.data;

import java.util.List;

/**
 * What reading one file (or folder) gave: how many rows were looked at, how many of them were
 * skipped as bad (only when skipping was asked for), and the first few reasons, with file and line.
 */
public record ReadReport(String source, int rows, int skipped, List<String> problems) {
    /** How many problems a report keeps verbatim; the count covers all of them. */
    public static final int MAX_PROBLEMS = 10;

    public ReadReport {
        problems = List.copyOf(problems);
        if (rows < 0 || skipped < 0 || skipped > rows) {
            throw new IllegalArgumentException(
                    "inconsistent counts: rows " + rows + ", skipped " + skipped);
        }
    }

    /** A report for data that was derived rather than read, so nothing was skipped. */
    public static ReadReport clean(String source, int rows) {
        return new ReadReport(source, rows, 0, List.of());
    }
}
