package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.training.spec.LrSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paper's GLUE recipes ({@code configs/paper/glue-<task>.yaml}): each loads and validates,
 * names its GLUE task, runs the paper's six configurations (LoRA, AdaLoRA with Adam and
 * sensitivity, IVON with sensitivity, snr, magnitude and variance), and its schedules fit the
 * task's step count: each file is loaded again with {@code training.max_steps} set to the steps its
 * epochs give on the full training set, which makes the configuration's own checks (tinit + tfinal
 * and the warm-up below the step count) apply, in every cell.
 */
class PaperConfigsTest {
    /**
     * Training examples of each GLUE task in the official download (Wang et al., 2019, Table 1; the
     * GLUE data's train.tsv line counts).
     */
    private static final Map<String, Integer> TRAIN_SIZES =
            Map.of(
                    "glue:mnli", 392_702,
                    "glue:qqp", 363_846,
                    "glue:qnli", 104_743,
                    "glue:sst-2", 67_349,
                    "glue:cola", 8_551,
                    "glue:sts-b", 5_749,
                    "glue:mrpc", 3_668,
                    "glue:rte", 2_490);

    static Stream<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(repositoryRoot().resolve("configs/paper"))) {
            return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void everyGlueTaskHasARecipe() throws IOException {
        assertEquals(
                new TreeSet<>(TRAIN_SIZES.keySet()),
                files().map(
                                p ->
                                        "glue:"
                                                + p.getFileName()
                                                        .toString()
                                                        .replaceAll("^glue-|\\.yaml$", ""))
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void loadsValidatesAndFitsTheTasksStepCount(Path file) throws IOException {
        RankwiseConfig config = ConfigLoader.load(file, List.of());
        String task = config.task().name();
        assertTrue(
                file.getFileName().toString().equals(task.replace("glue:", "glue-") + ".yaml"),
                file + " runs " + task);
        int batch = config.training().batchSize() * config.training().gradAccumulation();
        long steps = (long) (TRAIN_SIZES.get(task) / batch) * config.training().epochs();
        RankwiseConfig fitted = ConfigLoader.load(file, List.of("training.max_steps=" + steps));
        List<AblationCell> cells = fitted.ablationCells();
        assertEquals(
                List.of(
                        "lora-adam",
                        "adam+sensitivity",
                        "ivon+sensitivity",
                        "ivon+snr",
                        "ivon+magnitude",
                        "ivon+variance"),
                cells.stream().map(c -> c.pair().label()).distinct().toList());
        assertEquals(5, cells.stream().map(AblationCell::seed).distinct().count(), "5 seeds");
        for (AblationCell cell : cells) {
            LrSchedule schedule = cell.config().training().lrSchedule();
            // Adam (LoRA and AdaLoRA) warms up linearly; IVON follows the paper's schedule.
            if (cell.pair().optimizer().equals("adam")) {
                assertTrue(
                        schedule instanceof LrSchedule.Linear,
                        cell.pair().label() + " " + schedule);
            }
            if (schedule instanceof LrSchedule.ConstantThenDecay hold) {
                assertTrue(hold.holdSteps() < steps, file + ": hold_steps within " + steps);
            }
        }
    }

    /** The paper's IVON schedules: the custom one on the four small tasks, warm-up on the rest. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void ivonFollowsThePapersSchedule(Path file) throws IOException {
        RankwiseConfig config = ConfigLoader.load(file, List.of());
        String task = config.task().name();
        LrSchedule schedule = config.training().lrSchedule();
        double lr = ((Number) config.optimizer().options().get("lr")).doubleValue();
        switch (task) {
            case "glue:cola", "glue:sts-b" -> {
                assertEquals(new LrSchedule.ConstantThenDecay(500, 2.0), schedule);
                assertEquals(0.4, lr);
            }
            case "glue:mrpc", "glue:rte" -> {
                assertEquals(new LrSchedule.ConstantThenDecay(400, 2.0), schedule);
                assertEquals(0.5, lr);
            }
            default -> {
                assertEquals(new LrSchedule.Linear(500), schedule);
                assertEquals(0.4, lr);
            }
        }
    }

    private static Path repositoryRoot() throws IOException {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(dir.resolve("README.md"))
                    && Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
                return dir;
            }
        }
        throw new IOException("no repository root above " + start);
    }
}
