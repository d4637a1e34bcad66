package io.rankwise.models.data;

import java.util.List;
import java.util.Objects;

/**
 * A named part of a task's data ("train", "dev", "test", "dev_mismatched", …) and how it was read.
 */
public record Split(String name, List<Example> examples, ReadReport report) {
    public static final String TRAIN = "train";
    public static final String DEV = "dev";
    public static final String TEST = "test";

    public Split {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(report, "report");
        examples = List.copyOf(examples);
    }

    /** The number of examples. */
    public int size() {
        return examples.size();
    }

    /** The labels as one array, in example order (what the metrics take as gold). */
    public double[] labels() {
        return examples.stream().mapToDouble(Example::label).toArray();
    }
}
