package io.rankwise.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One evaluation of {@code metrics.jsonl}.
 *
 * @param step the step after which the evaluation ran
 * @param split the split evaluated (for example {@code validation})
 * @param values metric name → value, in the order the evaluator gave them
 */
public record EvalEntry(long step, String split, Map<String, Double> values) {

    /** Keeps a read-only copy of the values in their order. */
    public EvalEntry {
        Objects.requireNonNull(split, "split");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
