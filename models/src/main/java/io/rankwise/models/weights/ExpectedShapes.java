package io.rankwise.models.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a set of named tensors against the names and shapes a model expects: the check every
 * family's weights make, with one message format for all of them.
 */
public final class ExpectedShapes {
    private ExpectedShapes() {}

    /**
     * The tensors in the order of {@code expected}, each named by its key.
     *
     * @param expected every name the model has, in model order, with its shape
     * @param tensors the tensors by (normalised) name
     * @param model what the weights should fit, for the message (a config)
     * @throws IllegalArgumentException listing every missing, misshapen or unexpected tensor by
     *     name (the first 20)
     */
    public static Map<String, NamedArray> check(
            Map<String, long[]> expected, Map<String, NamedArray> tensors, Object model) {
        List<String> problems = new ArrayList<>();
        Map<String, NamedArray> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            NamedArray t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey() + " " + Arrays.toString(e.getValue()));
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(
                        e.getKey()
                                + " has shape "
                                + Arrays.toString(t.shape())
                                + ", expected "
                                + Arrays.toString(e.getValue()));
            } else {
                ordered.put(e.getKey(), t.name().equals(e.getKey()) ? t : t.withName(e.getKey()));
            }
        }
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        if (!unexpected.isEmpty()) {
            problems.add("unexpected tensors " + unexpected);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "weights do not fit "
                            + model
                            + ": "
                            + String.join("; ", problems.subList(0, Math.min(problems.size(), 20)))
                            + (problems.size() > 20
                                    ? "; and " + (problems.size() - 20) + " more"
                                    : ""));
        }
        return ordered;
    }
}
