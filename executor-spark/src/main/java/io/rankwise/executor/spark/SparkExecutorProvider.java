package io.rankwise.executor.spark;

import io.rankwise.api.grid.GridExecutor;
import io.rankwise.api.spi.GridExecutorProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;

/**
 * The {@code spark} grid executor plugin. Every other Spark setting ({@code spark.task.cpus},
 * {@code spark.executor.memory}, {@code spark.task.resource.gpu.amount}, ...) is read as Spark
 * reads it: from {@code spark-submit --conf} or from {@code -Dspark.*} JVM properties.
 */
public final class SparkExecutorProvider implements GridExecutorProvider {
    /** The plugin name. */
    public static final String NAME = "spark";

    static final Option<String> MASTER =
            Option.text(
                    "master",
                    "",
                    "the Spark master URL: local[N], spark://host:7077, yarn, k8s://https://host:port;"
                            + " empty: spark.master as spark-submit or -Dspark.master set it, else local[*]");

    static final Option<Integer> MAX_FAILURES =
            Option.integer(
                            "max_failures",
                            4,
                            "attempts per cell before the grid fails (spark.task.maxFailures; for local[N] it becomes local[N,F])")
                    .atLeast(1);

    static final Option<Integer> CONNECT_TIMEOUT =
            Option.integer(
                            "connect_timeout_s",
                            5,
                            "seconds to wait for each spark:// master address to accept a connection before giving up")
                    .atLeast(1);

    /** Cheap: Spark starts in {@link #open}. */
    public SparkExecutorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each cell one Apache Spark task: embedded local[N], standalone, YARN or Kubernetes";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MASTER, MAX_FAILURES, CONNECT_TIMEOUT);
    }

    @Override
    public GridExecutor open(Options options) {
        return SparkGridExecutor.start(
                new SparkGridExecutor.Settings(
                        options.get(MASTER),
                        options.get(MAX_FAILURES),
                        options.get(CONNECT_TIMEOUT)));
    }
}
