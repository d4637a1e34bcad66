package io.rankwise.models.data;

import io.rankwise.models.metrics.TaskMetric;
import java.util.List;
import java.util.Objects;

/**
 * What a task is, apart from its data: its name, what it predicts, the metrics it is judged by, and
 * the splits those metrics are reported on ("dev" for most tasks; MNLI reports both "dev_matched"
 * and "dev_mismatched").
 */
public record TaskSpec(
        String name, TaskKind kind, List<TaskMetric> metrics, List<String> evalSplits) {
    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        metrics = List.copyOf(metrics);
        evalSplits = List.copyOf(evalSplits);
        if (metrics.isEmpty() || evalSplits.isEmpty()) {
            throw new IllegalArgumentException(
                    name + ": a task needs at least one metric and one evaluation split");
        }
        for (TaskMetric m : metrics) {
            if (m.isRegression() != (kind instanceof TaskKind.Regression)) {
                throw new IllegalArgumentException(
                        name + ": metric " + m.id() + " does not fit a " + kind);
            }
        }
    }

    /** Whether the task is a regression task. */
    public boolean isRegression() {
        return kind instanceof TaskKind.Regression;
    }
}
