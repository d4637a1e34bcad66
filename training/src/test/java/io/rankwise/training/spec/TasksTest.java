package io.rankwise.training.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.models.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a spec's task section loads data: max_train and max_eval of 0 mean all, as documented. */
class TasksTest {

    @TempDir Path glue;

    private RunSpec.Data sst2(int maxTrain, int maxEval) throws Exception {
        Path dir = Files.createDirectories(glue.resolve("SST-2"));
        Files.writeString(
                dir.resolve("train.tsv"), "sentence\tlabel\na\t1\nb\t0\nc\t1\nd\t0\ne\t1\n");
        Files.writeString(dir.resolve("dev.tsv"), "sentence\tlabel\nf\t0\ng\t1\nh\t0\n");
        return new RunSpec.Data("glue:sst-2", glue.toString(), maxTrain, maxEval, false);
    }

    @Test
    void zeroMeansEveryExample() throws Exception {
        Task all = Tasks.load(sst2(0, 0), 1);
        assertEquals(5, all.train().size());
        assertEquals(3, all.dev().orElseThrow().size());
    }

    @Test
    void aPositiveNumberIsAnUpperBound() throws Exception {
        Task some = Tasks.load(sst2(2, 1), 1);
        assertEquals(2, some.train().size());
        assertEquals(1, some.dev().orElseThrow().size());
    }
}
