package io.rankwise.executor.spark;

import io.rankwise.api.grid.CellContext;
import io.rankwise.api.grid.CellDone;
import io.rankwise.api.grid.CellWork;
import io.rankwise.api.grid.GridException;
import io.rankwise.api.grid.GridExecutor;
import io.rankwise.api.grid.GridListener;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Runs each cell as one Spark task: one single-partition job per cell, submitted all at once, so
 * that Spark fills its task slots, retries a failed attempt ({@code spark.task.maxFailures}) on
 * another executor, and reports each cell as soon as its job ends. The task applies what Spark
 * granted it: {@code spark.task.cpus} cores become the engine's threads, and a GPU address from
 * {@code spark.task.resource.gpu.amount} becomes the device {@code gpu:<address>}.
 */
public final class SparkGridExecutor implements GridExecutor {
    /** Spark's name for GPUs in its resource scheduling. */
    static final String GPU = "gpu";

    /**
     * How the executor starts.
     *
     * @param master the master URL; blank: Spark's configuration, else {@code local[*]}
     * @param maxFailures attempts per cell
     * @param connectTimeoutSeconds seconds to wait for a standalone master to accept a connection
     */
    record Settings(String master, int maxFailures, int connectTimeoutSeconds) {}

    private final JavaSparkContext spark;
    private final String master;

    private SparkGridExecutor(JavaSparkContext spark, String master) {
        this.spark = spark;
        this.master = master;
    }

    /**
     * Starts Spark: the settings over Spark's own configuration ({@code spark.*} JVM properties,
     * which is how {@code spark-submit} passes its {@code --conf}).
     *
     * @throws IllegalArgumentException for a master URL that Spark does not accept
     * @throws GridException for a master that cannot be reached, or a Spark that fails to start
     */
    static SparkGridExecutor start(Settings settings) {
        SparkLogging.quiet();
        SparkConf conf = new SparkConf(true);
        String configured =
                settings.master().isBlank()
                        ? conf.get("spark.master", "local[*]")
                        : settings.master().trim();
        MasterUrl.checkForm(configured);
        String master = MasterUrl.withRetries(configured, settings.maxFailures());
        MasterUrl.checkReachable(master, settings.connectTimeoutSeconds());
        conf.setMaster(master);
        conf.setIfMissing("spark.app.name", "rankwise-ablate");
        conf.set("spark.task.maxFailures", String.valueOf(settings.maxFailures()));
        // Engines that spin while they wait for work (OpenMP) must not take cores from the cells
        // beside them.
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        // TensorFlow's intra-op pool per session, not per process: each cell of an executor keeps
        // the threads granted to it (spark.task.cpus) instead of sharing the first cell's pool.
        conf.setIfMissing("spark.executorEnv.TF_OVERRIDE_GLOBAL_THREADPOOL", "1");
        // Cells side by side make glibc open a malloc arena per thread; their fragments grew an
        // executor by ~140 MB per cell, where two arenas keep it flat.
        conf.setIfMissing("spark.executorEnv.MALLOC_ARENA_MAX", "2");
        conf.setIfMissing("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
        if ("true".equals(System.getProperty("ai.djl.offline"))) {
            // The executors' DJL must not try the network either (the natives come as jars).
            String options = conf.get("spark.executor.extraJavaOptions", "");
            if (!options.contains("ai.djl.offline")) {
                conf.set(
                        "spark.executor.extraJavaOptions",
                        (options + " -Dai.djl.offline=true").trim());
            }
        }
        if (MasterUrl.isLocal(master)) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        try {
            return new SparkGridExecutor(new JavaSparkContext(conf), configured);
        } catch (Exception e) { // Spark's SparkException is a checked exception
            String message = String.valueOf(e.getMessage());
            if (message.contains("Could not parse Master URL")) {
                throw new IllegalArgumentException(
                        "spark master '"
                                + configured
                                + "' is not a master URL Spark accepts; accepted: "
                                + MasterUrl.ACCEPTED,
                        e);
            }
            throw new GridException(
                    "Spark did not start with master " + configured + ": " + message, e);
        }
    }

    @Override
    public String describe() {
        return "spark " + master + " (application " + spark.sc().applicationId() + ")";
    }

    @Override
    public <C extends Serializable, R extends Serializable> List<R> run(
            List<C> cells, CellWork<C, R> work, GridListener<R> listener) {
        List<JavaFutureAction<List<Attempt<R>>>> jobs = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            int index = i;
            spark.setJobDescription("cell " + (i + 1) + " of " + cells.size());
            jobs.add(
                    spark.parallelize(List.of(cells.get(i)), 1)
                            .map(cell -> runTask(work, cell, index))
                            .collectAsync());
        }
        List<R> results = new ArrayList<>(cells.size());
        results.addAll(Collections.nCopies(cells.size(), null));
        boolean[] reported = new boolean[cells.size()];
        int done = 0;
        try {
            while (done < cells.size()) {
                boolean progressed = false;
                for (int i = 0; i < jobs.size(); i++) {
                    if (reported[i] || !jobs.get(i).isDone()) {
                        continue;
                    }
                    Attempt<R> attempt = outcome(jobs.get(i), i, cells.size());
                    reported[i] = true;
                    results.set(i, attempt.result());
                    done++;
                    progressed = true;
                    listener.finished(
                            new CellDone<>(
                                    i, attempt.host(), attempt.result(), done, cells.size()));
                }
                if (!progressed) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GridException("interrupted while waiting for the grid's cells", e);
        } finally {
            for (int i = 0; i < jobs.size(); i++) {
                if (!reported[i]) {
                    jobs.get(i).cancel(true);
                }
            }
        }
        return results;
    }

    private static <R> Attempt<R> outcome(
            JavaFutureAction<List<Attempt<R>>> job, int index, int total)
            throws InterruptedException {
        try {
            return job.get(0, TimeUnit.SECONDS).get(0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new GridException(
                    "cell " + (index + 1) + " of " + total + " failed: " + firstLine(cause), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a finished job had no result", e);
        }
    }

    /** One attempt at a cell, run in a Spark task on an executor. */
    private static <C extends Serializable, R extends Serializable> Attempt<R> runTask(
            CellWork<C, R> work, C cell, int index) throws Exception {
        TaskContext task = TaskContext.get();
        Optional<String> gpu =
                Optional.ofNullable(task.resourcesJMap().get(GPU))
                        .map(ResourceInformation::addresses)
                        .filter(a -> a.length > 0)
                        .map(a -> "gpu:" + a[0]);
        String host = CellContext.localHost();
        R result = work.run(cell, new CellContext(host, task.cpus(), gpu, task.attemptNumber()));
        return new Attempt<>(host, result);
    }

    /** What a task sends back: the cell's result and the host that computed it. */
    record Attempt<R>(String host, R result) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        return Arrays.stream(message.split("\n")).findFirst().orElse(message);
    }

    @Override
    public void close() {
        spark.stop();
    }
}
