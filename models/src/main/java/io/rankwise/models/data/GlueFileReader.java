package io.rankwise.models.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one GLUE TSV file into examples, checking every row: its width, a known label, non-empty
 * texts. A bad row is a {@link DataFormatException} naming file and line, unless skipping was asked
 * for; then it is counted in the {@link ReadReport} instead.
 */
final class GlueFileReader {
    private final GlueLayout layout;
    private final TaskKind kind;
    private final boolean skipBadRows;

    GlueFileReader(GlueLayout layout, TaskKind kind, boolean skipBadRows) {
        this.layout = layout;
        this.kind = kind;
        this.skipBadRows = skipBadRows;
    }

    Split read(String splitName, Path file) throws IOException {
        List<Example> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int rows = 0, skipped = 0;
        try (TsvReader reader = new TsvReader(file)) {
            Columns columns = layout.header() ? fromHeader(reader.next(), file) : fixed();
            TsvReader.Row row;
            while ((row = reader.next()) != null) {
                rows++;
                try {
                    examples.add(parse(row, columns, file));
                } catch (DataFormatException e) {
                    if (!skipBadRows) throw e;
                    skipped++;
                    if (problems.size() < ReadReport.MAX_PROBLEMS) problems.add(e.getMessage());
                }
            }
        }
        return new Split(
                splitName, examples, new ReadReport(file.toString(), rows, skipped, problems));
    }

    /** Positions of the needed columns and the width every row must have. */
    private record Columns(int width, int textA, int textB, int label) {}

    private Columns fixed() {
        return new Columns(
                layout.width(),
                layout.textA().index(),
                layout.isPair() ? layout.textB().index() : -1,
                layout.label().index());
    }

    private Columns fromHeader(TsvReader.Row header, Path file) {
        if (header == null) {
            throw new DataFormatException(
                    file, 1, "the file is empty; expected a header naming " + neededNames());
        }
        List<String> names = Arrays.stream(header.fields()).map(String::trim).toList();
        return new Columns(
                names.size(),
                position(names, layout.textA(), file),
                layout.isPair() ? position(names, layout.textB(), file) : -1,
                position(names, layout.label(), file));
    }

    private int position(List<String> names, GlueLayout.Column column, Path file) {
        int i = names.indexOf(column.name());
        if (i < 0) {
            throw new DataFormatException(
                    file,
                    1,
                    "the header "
                            + names
                            + " has no column '"
                            + column.name()
                            + "'; expected columns "
                            + neededNames()
                            + " (is this the right task's file?)");
        }
        return i;
    }

    private List<String> neededNames() {
        List<String> names = new ArrayList<>();
        names.add(layout.textA().name());
        if (layout.isPair()) names.add(layout.textB().name());
        names.add(layout.label().name());
        return names;
    }

    private Example parse(TsvReader.Row row, Columns c, Path file) {
        Source source = new Source(file, row.line());
        String[] f = row.fields();
        if (f.length != c.width()) {
            throw new DataFormatException(
                    source,
                    "malformed row: "
                            + f.length
                            + " tab-separated fields, expected "
                            + c.width()
                            + (layout.header() ? " as in the header" : ""));
        }
        String textA = text(f[c.textA()], layout.textA(), source);
        String textB = layout.isPair() ? text(f[c.textB()], layout.textB(), source) : null;
        return new Example(textA, textB, label(f[c.label()].trim(), source), source);
    }

    private static String text(String value, GlueLayout.Column column, Source source) {
        String t = value.trim();
        if (t.isEmpty()) {
            throw new DataFormatException(source, "empty text in column '" + column.name() + "'");
        }
        return t;
    }

    private double label(String value, Source source) {
        if (kind instanceof TaskKind.Classification c) {
            int index = c.indexOf(value);
            if (index < 0) {
                throw new DataFormatException(
                        source,
                        "unknown label '"
                                + value
                                + "' in column '"
                                + layout.label().name()
                                + "'; expected one of "
                                + c.labels());
            }
            return index;
        }
        TaskKind.Regression r = (TaskKind.Regression) kind;
        double score;
        try {
            score = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            score = Double.NaN;
        }
        if (!(score >= r.min() && score <= r.max())) {
            throw new DataFormatException(
                    source,
                    "bad score '"
                            + value
                            + "' in column '"
                            + layout.label().name()
                            + "'; expected a number in ["
                            + r.min()
                            + ", "
                            + r.max()
                            + "]");
        }
        return score;
    }
}
