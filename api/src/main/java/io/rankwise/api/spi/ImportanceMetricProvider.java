package io.rankwise.api.spi;

import io.rankwise.api.adapt.ImportanceMetric;
import java.util.Map;

/**
 * Makes an {@link ImportanceMetric}. A third party adds a metric with one class implementing this
 * (or {@link ImportanceMetric} and this together) and one line in
 * {@code META-INF/services/io.rankwise.api.spi.ImportanceMetricProvider}.
 */
public interface ImportanceMetricProvider extends Plugin {

    /** What the metrics it makes need from the optimizer, known before creating one. */
    java.util.Set<io.rankwise.api.optim.Capability> requires();

    /**
     * Makes the metric from options.
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    ImportanceMetric create(Map<String, String> options);
}
