package io.rankwise.training;

import io.rankwise.training.spec.RunSpec;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate JVM's side of {@link RunSpecSerializationTest}: reads a serialized {@link RunSpec},
 * runs it into a folder and writes the final loss and dev metrics (exact doubles) beside it.
 */
public final class SpecRunner {
    private SpecRunner() {}

    /** Arguments: the serialized spec, the run folder. */
    public static void main(String[] args) throws Exception {
        RunSpec spec;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
            spec = (RunSpec) in.readObject();
        }
        RunResult result = Rankwise.fineTune(spec, Path.of(args[1]));
        Files.writeString(
                Path.of(args[1]).resolve("result.txt"), RunSpecSerializationTest.summary(result));
    }
}
