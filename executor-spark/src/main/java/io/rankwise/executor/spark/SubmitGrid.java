package io.rankwise.executor.spark;

import io.rankwise.cli.Main;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class for {@code spark-submit}: runs {@code rankwise ablate --executor spark} with the
 * given arguments (a grid file with {@code --config}, {@code --set}, {@code --resume}), on the
 * master and with the configuration that {@code spark-submit} passes. Example:
 *
 * <pre>
 * spark-submit --master yarn --class io.rankwise.executor.spark.SubmitGrid \
 *     rankwise-executor-spark-0.1.0-SNAPSHOT-app.jar --config grid.yaml
 * </pre>
 */
public final class SubmitGrid {
    private SubmitGrid() {}

    /** Runs the grid and exits with {@code rankwise ablate}'s exit code. */
    public static void main(String[] args) {
        List<String> line = new ArrayList<>(List.of("ablate", "--executor", "spark"));
        line.addAll(List.of(args));
        Main.main(line.toArray(String[]::new));
    }
}
