package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.models.metrics.TaskMetric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskTest {
    private static final TaskSpec SPEC =
            new TaskSpec(
                    "toy",
                    new TaskKind.Classification(List.of("no", "yes")),
                    List.of(TaskMetric.ACCURACY),
                    List.of(Split.DEV));

    private static Split split(String name, int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            examples.add(
                    Example.classification(
                            "text " + i, null, i % 2, new Source(Path.of(name + ".tsv"), i + 1)));
        }
        return new Split(name, examples, ReadReport.clean(name, n));
    }

    @Test
    void subsampleIsDeterministicOrderedAndSized() {
        Task task =
                new Task(SPEC, List.of(split("train", 100), split("dev", 50), split("test", 50)));
        Task a = task.subsample(10, 5, 7),
                b = task.subsample(10, 5, 7),
                c = task.subsample(10, 5, 8);
        assertEquals(a, b);
        assertEquals(10, a.train().size());
        assertEquals(5, a.dev().orElseThrow().size());
        assertEquals(5, a.test().orElseThrow().size());
        assertNotEquals(a.train().examples(), c.train().examples());
        List<Integer> lines = a.train().examples().stream().map(e -> e.source().line()).toList();
        assertEquals(lines.stream().sorted().toList(), lines); // original order kept
        assertEquals(task.train(), task.subsample(1000, 1000, 0).train());
    }

    @Test
    void labelsOutsideTheKindAreRejected() {
        Example bad = new Example("x", null, 2, new Source(Path.of("f.tsv"), 3));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new Task(
                                        SPEC,
                                        List.of(
                                                new Split(
                                                        "train",
                                                        List.of(bad),
                                                        ReadReport.clean("f", 1)))));
        assertTrue(e.getMessage().startsWith("f.tsv:3: label 2.0"), e.getMessage());
    }

    @Test
    void missingTrainSplitIsNamed() {
        Task t = new Task(SPEC, List.of(split("dev", 2)));
        IllegalStateException e = assertThrows(IllegalStateException.class, t::train);
        assertTrue(e.getMessage().contains("[dev]"));
        assertEquals(
                IntStream.of(0, 1).asDoubleStream().boxed().toList(),
                java.util.Arrays.stream(t.dev().orElseThrow().labels()).boxed().toList());
    }
}
