package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.training.spec.RunSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link RunSpec} is the whole run: serialized, it comes back equal, and run in another JVM it
 * gives the numbers it gives here (the final loss and dev metrics to the last bit, the same rank
 * pattern and the same exported adapter).
 */
class RunSpecSerializationTest {

    @TempDir Path tmp;

    static String summary(RunResult result) {
        return result.steps()
                + " "
                + Double.doubleToLongBits(result.finalLoss())
                + " "
                + result.evaluation().values();
    }

    private static byte[] serialize(RunSpec spec) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        return bytes.toByteArray();
    }

    @Test
    void aSpecComesBackEqual() throws Exception {
        RunSpec spec = SmallRun.spec("tensorflow");
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(serialize(spec)))) {
            assertEquals(spec, in.readObject());
        }
    }

    @Test
    void aSpecRunInAnotherJvmGivesTheSameNumbers() throws Exception {
        RunSpec spec = SmallRun.spec("djl");
        Path file = tmp.resolve("spec.bin");
        Files.write(file, serialize(spec));
        Path there = tmp.resolve("there");
        Path log = tmp.resolve("child.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child =
                new ProcessBuilder(
                                List.of(
                                        java.toString(),
                                        "-Xss4m",
                                        "-Dai.djl.offline=true",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        SpecRunner.class.getName(),
                                        file.toString(),
                                        there.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        // One after the other: two djl processes on two cores slow each other down several-fold.
        if (!child.waitFor(10, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), Files.readString(log));

        RunResult here = Rankwise.fineTune(spec, tmp.resolve("here"));
        assertEquals(summary(here), Files.readString(there.resolve("result.txt")));
        assertEquals(
                Files.readString(tmp.resolve("here").resolve(RunArtifacts.RANK_PATTERN_FILE)),
                Files.readString(there.resolve(RunArtifacts.RANK_PATTERN_FILE)));
        Path weights = Path.of(RunArtifacts.ADAPTER_FOLDER, "adapter_model.safetensors");
        assertArrayEquals(
                Files.readAllBytes(tmp.resolve("here").resolve(weights)),
                Files.readAllBytes(there.resolve(weights)));
    }
}
