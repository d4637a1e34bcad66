package io.rankwise.cli.train;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.RankwiseConfig;
import io.rankwise.training.checkpoint.SavedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Opens the run folders that {@code train} and {@code ablate} write, from their {@code
 * config.yaml}.
 */
public final class RunFolders {
    private RunFolders() {}

    /**
     * The folder name for a run whose {@code run.name} is blank: {@code prefix} and the time now,
     * e.g. {@code ablation-20261130-224500}.
     */
    public static String timestamped(String prefix) {
        return prefix
                + "-"
                + LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    }

    /**
     * Opens {@code dir} with {@code overrides} applied to its configuration (for example another
     * backend, or {@code task.max_eval}).
     *
     * @throws IllegalArgumentException for a folder that is not a usable run folder, naming it
     * @throws IOException if the model files or the task's data cannot be read
     */
    public static SavedRun open(Plugins plugins, Path dir, List<String> overrides)
            throws IOException {
        SavedRun.requireFolder(dir);
        Path configFile = dir.resolve("config.yaml");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException(
                    "--run-dir " + dir + " holds no config.yaml; accepted: " + SavedRun.ACCEPTED);
        }
        RankwiseConfig config = ConfigLoader.load(plugins, configFile, overrides);
        RankwiseConfig original =
                overrides.isEmpty() ? config : ConfigLoader.load(plugins, configFile, List.of());
        return SavedRun.open(plugins, dir, RunPlan.spec(config), RunPlan.spec(original));
    }
}
