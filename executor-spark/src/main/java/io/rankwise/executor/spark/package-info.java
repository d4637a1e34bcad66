/**
 * Grid executor {@code spark}: each cell of an ablation grid is one Apache Spark task, so that
 * Spark schedules cells over a cluster, retries failed ones and hands out CPU cores and GPUs.
 * {@link io.rankwise.executor.spark.SparkExecutorProvider} is the plugin, {@link
 * io.rankwise.executor.spark.SparkGridExecutor} the executor and {@link
 * io.rankwise.executor.spark.SubmitGrid} the entry point for {@code spark-submit}.
 */
package io.rankwise.executor.spark;
