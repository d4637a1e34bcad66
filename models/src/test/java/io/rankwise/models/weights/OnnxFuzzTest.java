package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of a synthetic ONNX export of a tiny BERT (every storage variant the reader handles):
 * each reads, or is refused with a {@link WeightFormatException} naming the file; the protobuf
 * reader's varints are among the fields set to huge values.
 */
class OnnxFuzzTest {
    private static Path dir;
    private static byte[] model;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("onnx-fuzz");
        Path file =
                OnnxSyntheticTest.writeModel(dir.resolve("seed.onnx"), TinyBert.tensors(true, 9));
        model = Files.readAllBytes(file);
        Files.delete(file);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 1000, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyMutantReadsOrIsRefusedNamingTheFile(@ForAll("mutants") byte[] bytes)
            throws IOException {
        Path file = Files.write(dir.resolve("mutant.onnx"), bytes);
        Fuzz.loadsOrRefuses(
                "ONNX mutant of " + bytes.length + " bytes",
                () -> OnnxWeightReader.readBert(file, 2),
                Fuzz.messageNames(WeightFormatException.class, file.toString()),
                16L * 1024 * 1024 + 16L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        return Arbitraries.oneOf(Mutations.binary(model), varints());
    }

    /** One byte of the file replaced by a ten-byte varint of a huge or negative value. */
    private static Arbitrary<byte[]> varints() {
        return net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, model.length - 1),
                        Arbitraries.of(Mutations.HUGE_OR_NEGATIVE))
                .as(
                        (at, value) -> {
                            ProtoBytes p = new ProtoBytes().rawVarint(value);
                            byte[] v = p.toByteArray();
                            byte[] out = new byte[model.length - 1 + v.length];
                            System.arraycopy(model, 0, out, 0, at);
                            System.arraycopy(v, 0, out, at, v.length);
                            System.arraycopy(
                                    model, at + 1, out, at + v.length, model.length - at - 1);
                            return out;
                        });
    }

    /**
     * Without a config.json the layers are counted from the names: an initializer named {@code
     * encoder.layer.1000000.…} set the number of layers to a million (and Math.toIntExact on a huge
     * embedding threw an ArithmeticException, which escaped as not a format error).
     */
    @Example
    void refusesALayerCountOrSizeNoConfigCanHave() throws IOException {
        Map<String, NamedArray> tensors = new LinkedHashMap<>(TinyBert.tensors(false, 9));
        NamedArray bias = tensors.get("encoder.layer.1.output.dense.bias");
        tensors.put(
                "encoder.layer.1000000.output.dense.bias",
                bias.withName("encoder.layer.1000000.output.dense.bias"));
        Path file = OnnxSyntheticTest.writeModel(dir.resolve("layers.onnx"), tensors);
        var e = assertThrows(WeightFormatException.class, () -> OnnxWeightReader.readBert(file, 2));
        assertTrue(
                e.getMessage().startsWith(file + ": num_hidden_layers is 1000001, more than"),
                e.getMessage());
    }
}
