package io.rankwise.models.data;

import java.util.Objects;
import java.util.Optional;

/**
 * One labelled example: a text, an optional second text for sentence-pair tasks, and a label. The
 * label is a class index (0, 1, …, stored as a double) for classification and a score for
 * regression; one numeric field keeps batches of either kind a plain {@code double[]}.
 *
 * @param textA the text, or the first sentence of a pair
 * @param textB the second sentence of a pair, or {@code null} for single-text tasks
 * @param label the class index or the score
 * @param source the file and line it was read from, for messages
 */
public record Example(String textA, String textB, double label, Source source) {
    public Example {
        Objects.requireNonNull(textA, "textA");
        Objects.requireNonNull(source, "source");
        if (!Double.isFinite(label)) {
            throw new IllegalArgumentException(source + ": label " + label + " is not finite");
        }
    }

    /** A classification example with the given class index. */
    public static Example classification(
            String textA, String textB, int classIndex, Source source) {
        if (classIndex < 0) {
            throw new IllegalArgumentException(
                    source + ": class index " + classIndex + " is negative");
        }
        return new Example(textA, textB, classIndex, source);
    }

    /** A regression example with the given score. */
    public static Example regression(String textA, String textB, double score, Source source) {
        return new Example(textA, textB, score, source);
    }

    /** The second text, if this is a sentence pair. */
    public Optional<String> pair() {
        return Optional.ofNullable(textB);
    }

    /** Whether the example is a sentence pair. */
    public boolean isPair() {
        return textB != null;
    }

    /** The label as a class index; fails if the label is not a non-negative integer. */
    public int classIndex() {
        if (label < 0 || label != Math.rint(label)) {
            throw new IllegalStateException(source + ": label " + label + " is not a class index");
        }
        return (int) label;
    }
}
