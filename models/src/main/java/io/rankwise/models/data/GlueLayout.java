package io.rankwise.models.data;

import java.util.Objects;

/**
 * How one GLUE TSV file is laid out: whether it has a header, and which columns hold the texts and
 * the label. With a header, columns are found by name (MNLI's train and dev files have different
 * widths, so positions would be wrong for one of them) and every row must be as wide as the header;
 * without one (CoLA), by position, and every row must have {@code width} fields.
 *
 * @param header whether the first line names the columns
 * @param width the number of fields of a headerless file; ignored with a header
 * @param textA the column of the (first) text
 * @param textB the column of the second text, or {@code null} for single-text tasks
 * @param label the column of the label
 */
public record GlueLayout(boolean header, int width, Column textA, Column textB, Column label) {

    /** A column, by its header name, or by its 0-based position in a headerless file. */
    public record Column(String name, int index) {
        /** A column found by its header name. */
        public static Column named(String name) {
            return new Column(Objects.requireNonNull(name), -1);
        }

        /** A column at a fixed position of a headerless file; {@code name} is for messages only. */
        public static Column at(int index, String name) {
            return new Column(name, index);
        }
    }

    public GlueLayout {
        Objects.requireNonNull(textA, "textA");
        Objects.requireNonNull(label, "label");
    }

    /** A layout whose first line is a header naming the columns. */
    public static GlueLayout withHeader(String textA, String textB, String label) {
        return new GlueLayout(
                true,
                -1,
                Column.named(textA),
                textB == null ? null : Column.named(textB),
                Column.named(label));
    }

    /** Whether the examples are sentence pairs. */
    public boolean isPair() {
        return textB != null;
    }
}
