package io.rankwise.executor.spark;

import java.util.List;

/**
 * Keeps Spark's INFO chatter off the terminal: with SLF4J's simple logger (Rankwise's binding),
 * Spark, its Jetty and Netty log at WARN unless a {@code -Dorg.slf4j.simpleLogger.log.*} property
 * says otherwise. Set before Spark makes its first logger.
 */
final class SparkLogging {
    private static final List<String> NOISY =
            List.of("org.apache.spark", "org.sparkproject", "io.netty", "org.apache.hadoop");

    private SparkLogging() {}

    static void quiet() {
        for (String logger : NOISY) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
