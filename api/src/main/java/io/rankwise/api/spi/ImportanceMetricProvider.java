package io.rankwise.api.spi;

import io.rankwise.api.adapt.ImportanceMetric;
import java.util.Map;

/**
 * Makes an {@link ImportanceMetric}. A third party adds a metric with one class implementing this
 * (or {@link ImportanceMetric} and this together) and one line in {@code
 * META-INF/services/io.rankwise.api.spi.ImportanceMetricProvider}.
 */
public interface ImportanceMetricProvider extends Plugin {

    /** What the metrics it makes need from the optimizer, known before creating one. */
    java.util.Set<io.rankwise.api.optim.Capability> requires();

    /**
     * Makes the metric from its options, already parsed against {@link #options()}: read each with
     * {@link Options#get(Option)}.
     */
    ImportanceMetric create(Options options);

    /**
     * Parses {@code options} (typed values, or text) against {@link #options()} and makes the
     * metric.
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    default ImportanceMetric create(Map<String, ?> options) {
        return create(Options.parse(this, options));
    }
}
