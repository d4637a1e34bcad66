package io.rankwise.models.data;

import java.util.HashSet;
import java.util.List;

/** What a task predicts: one of a fixed list of classes, or a real-valued score in a range. */
public sealed interface TaskKind permits TaskKind.Classification, TaskKind.Regression {

    /** Checks that a label is valid for this kind, and says what would be. */
    void checkLabel(double label, Source source);

    /**
     * Classification into the given labels; class index i is {@code labels.get(i)}, exactly as the
     * label is written in the data (e.g. "0", "entailment").
     */
    record Classification(List<String> labels) implements TaskKind {
        public Classification {
            labels = List.copyOf(labels);
            if (labels.size() < 2 || new HashSet<>(labels).size() != labels.size()) {
                throw new IllegalArgumentException(
                        "a classification needs at least 2 distinct labels; got " + labels);
            }
        }

        /** The number of classes. */
        public int numClasses() {
            return labels.size();
        }

        /**
         * The class index of a label as written in the data, or -1 if it is not one of the labels.
         */
        public int indexOf(String label) {
            return labels.indexOf(label);
        }

        @Override
        public void checkLabel(double label, Source source) {
            if (label < 0 || label >= labels.size() || label != Math.rint(label)) {
                throw new IllegalArgumentException(
                        source
                                + ": label "
                                + label
                                + " is not a class index in [0, "
                                + labels.size()
                                + ") for labels "
                                + labels);
            }
        }
    }

    /** Regression onto a score in [min, max] (STS-B: 0 to 5). */
    record Regression(double min, double max) implements TaskKind {
        public Regression {
            if (!(min < max)) {
                throw new IllegalArgumentException(
                        "regression range [" + min + ", " + max + "] is empty");
            }
        }

        @Override
        public void checkLabel(double label, Source source) {
            if (!(label >= min && label <= max)) {
                throw new IllegalArgumentException(
                        source + ": score " + label + " is outside [" + min + ", " + max + "]");
            }
        }
    }
}
