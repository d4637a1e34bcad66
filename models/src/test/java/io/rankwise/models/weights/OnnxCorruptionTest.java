package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of the real MiniLM file: each must fail with a {@link WeightFormatException}
 * naming the file, never an OutOfMemoryError, NegativeArraySizeException or index error.
 */
class OnnxCorruptionTest {
    @TempDir Path dir;

    private static byte[] original;

    @BeforeAll
    static void load() throws IOException {
        original = Files.readAllBytes(EmbeddedModels.miniLmL6().onnxFile());
    }

    private WeightFormatException failsToLoad(String name, byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), bytes);
        WeightFormatException e =
                assertThrows(
                        WeightFormatException.class,
                        () -> OnnxWeightReader.readBert(file, 12),
                        name);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        System.out.println(
                "[corrupt ONNX] "
                        + name
                        + ": "
                        + e.getMessage().substring(file.toString().length() + 2));
        return e;
    }

    @Test
    void truncatedFilesFailClearly() throws IOException {
        int n = original.length;
        for (int cut : new int[] {1, 11, 25, 1000, n / 3, n / 2, n - 4096, n - 1}) {
            failsToLoad("cut-" + cut + ".onnx", Arrays.copyOf(original, cut));
        }
    }

    @Test
    void hugeLengthOfTheGraphFailsClearly() throws IOException {
        // ModelProto: ir_version, producer_name "pytorch", producer_version "2.0.1", then the graph
        // (tag 0x3A) whose length is a 4-byte varint; make it claim 2^28 - 1 bytes.
        byte[] bytes = original.clone();
        int graphTag = 18;
        assertEquals(0x3A, bytes[graphTag] & 0xFF);
        bytes[graphTag + 1] = bytes[graphTag + 2] = bytes[graphTag + 3] = (byte) 0xFF;
        bytes[graphTag + 4] = 0x7F;
        WeightFormatException e = failsToLoad("graph-length.onnx", bytes);
        assertTrue(e.getMessage().contains("claims 268435455 bytes"), e.getMessage());
    }

    @Test
    void hugeLengthOfRawDataFailsClearly() throws IOException {
        byte[] bytes = original.clone();
        int at = rawDataTagAfter(bytes, "embeddings.word_embeddings.weight");
        bytes[at + 1] = bytes[at + 2] = bytes[at + 3] = (byte) 0xFF;
        bytes[at + 4] = 0x7F;
        WeightFormatException e = failsToLoad("raw-length.onnx", bytes);
        assertTrue(e.getMessage().contains("claims 268435455 bytes"), e.getMessage());
    }

    @Test
    void varintThatNeverEndsFailsClearly() throws IOException {
        byte[] bytes = original.clone();
        int at = rawDataTagAfter(bytes, "embeddings.word_embeddings.weight");
        Arrays.fill(bytes, at + 1, at + 12, (byte) 0xFF);
        failsToLoad("endless-varint.onnx", bytes);
    }

    @Test
    void dimsThatDisagreeWithTheDataFailClearly() throws IOException {
        // The word embedding's first dim, 30522, is the varint BA EE 01; make it 30523.
        byte[] bytes = original.clone();
        int name =
                OnnxWeightReaderTest.lastIndexOf(
                        bytes,
                        "embeddings.word_embeddings.weight".getBytes(StandardCharsets.UTF_8));
        int dims =
                OnnxWeightReaderTest.lastIndexOf(
                                Arrays.copyOfRange(bytes, name - 40, name),
                                new byte[] {0x08, (byte) 0xBA, (byte) 0xEE, 0x01})
                        + name
                        - 40;
        bytes[dims + 1] = (byte) 0xBB;
        WeightFormatException e = failsToLoad("dims.onnx", bytes);
        assertTrue(e.getMessage().contains("raw_data holds"), e.getMessage());
    }

    @Test
    void zeroedRegionFailsClearly() throws IOException {
        // Zeros read as field number 0, which protobuf forbids.
        byte[] bytes = original.clone();
        Arrays.fill(bytes, 24, 4096, (byte) 0);
        failsToLoad("zeroed.onnx", bytes);
    }

    private static int rawDataTagAfter(byte[] bytes, String tensor) {
        byte[] name = tensor.getBytes(StandardCharsets.UTF_8);
        // The last occurrence is the initializer; nodes naming it come first.
        int at = OnnxWeightReaderTest.lastIndexOf(bytes, name) + name.length;
        assertEquals(0x4A, bytes[at] & 0xFF, "raw_data tag after " + tensor);
        return at;
    }
}
