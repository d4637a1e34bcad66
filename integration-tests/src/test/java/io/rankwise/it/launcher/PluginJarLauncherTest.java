package io.rankwise.it.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.it.ExampleJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's metric reaches the command without editing anything: the example's jar, built
 * from its sources, is given to the {@code ./rankwise} launcher with {@code --plugins DIR} (and
 * {@code RANKWISE_PLUGINS}), and an ablation grid names its metric. A jar in the folder that is not
 * a jar is reported by name, and the rest still runs.
 */
class PluginJarLauncherTest {
    private static final Path LAUNCHER = Path.of("..", "rankwise").toAbsolutePath().normalize();

    @TempDir static Path work;

    private static Path plugins;

    @BeforeAll
    static void pluginFolder() throws IOException {
        plugins = Files.createDirectories(work.resolve("plugins"));
        ExampleJars.thirdPartyMetric(work, plugins.resolve("third-party-metric.jar"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3, 4});
    }

    @Test
    void pluginsListsTheJarsMetricAndNamesTheBrokenJar() throws Exception {
        Result r = launch(Map.of("RANKWISE_PLUGINS", plugins.toString()), "plugins");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("confident-magnitude"), r.output());
        assertTrue(
                r.output()
                        .contains(
                                plugins.resolve("third-party-metric.jar") + " (RANKWISE_PLUGINS)"),
                r.output());
        assertTrue(
                r.output().contains("UNUSABLE") && r.output().contains("broken.jar"), r.output());
    }

    @Test
    void ablateRunsTheThirdPartyMetricFromItsJar() throws Exception {
        Path out = work.resolve("runs");
        Result r =
                launch(
                        Map.of(),
                        "ablate",
                        "--plugins",
                        plugins.toString(),
                        "--set",
                        "run.output_dir=" + out,
                        "--set",
                        "run.name=grid",
                        "--set",
                        "backend.name=djl",
                        "--set",
                        "ablation.pairs=ivon+snr,ivon+confident-magnitude",
                        "--set",
                        "ablation.seeds=1",
                        "--set",
                        "task.max_train=32",
                        "--set",
                        "task.max_eval=16",
                        "--set",
                        "training.epochs=1",
                        "--set",
                        "training.batch_size=8",
                        "--set",
                        "model.max_length=16",
                        "--set",
                        "adapter.target_modules=query,value",
                        "--set",
                        "adapter.init_r=3",
                        "--set",
                        "allocator.options.target_r=2",
                        "--set",
                        "allocator.options.tinit=1",
                        "--set",
                        "allocator.options.tfinal=1",
                        "--set",
                        "allocator.options.delta_t=1",
                        "--set",
                        "training.lr_schedule.warmup_steps=0");
        assertEquals(0, r.code(), r.output());
        String md =
                Files.readString(
                        out.resolve("grid").resolve("ablation.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("| djl | ivon+confident-magnitude | spam-assassin | 1 |"), md);
        assertTrue(md.contains("| djl | ivon+snr | spam-assassin | 1 |"), md);
        assertTrue(
                Files.isRegularFile(
                        out.resolve("grid")
                                .resolve("spam-assassin_djl_ivon+confident-magnitude_seed42")
                                .resolve("rank_pattern.json")));
        assertTrue(r.output().contains("broken.jar"), "the unreadable jar is named: " + r.output());
    }

    private record Result(int code, String output) {}

    /**
     * Runs the launcher as a user would, from a shell, with {@code env} added to this environment.
     */
    private static Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, "launcher", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("RANKWISE_PLUGINS");
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
