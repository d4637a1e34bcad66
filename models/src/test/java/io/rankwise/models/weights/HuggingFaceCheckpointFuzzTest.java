package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of a checkpoint folder's config.json and of a sharded checkpoint's index: each folder
 * loads, or is refused with a {@link WeightFormatException} that names the folder or its file, and
 * never costs more memory than its tiny weights.
 */
class HuggingFaceCheckpointFuzzTest {
    private static final long MEMORY = 32L * 1024 * 1024;

    private static Path single;
    private static Path sharded;
    private static byte[] config;
    private static byte[] index;

    @BeforeContainer
    static void seeds() throws IOException {
        Path root = Files.createTempDirectory("checkpoint-fuzz");
        single = root.resolve("single");
        HuggingFaceCheckpoint.save(single, TinyBert.weights(true, 5), null);
        config = Files.readAllBytes(single.resolve(HuggingFaceCheckpoint.CONFIG));
        sharded = root.resolve("sharded");
        Files.createDirectories(sharded);
        TinyBert.CONFIG.writeJson(sharded.resolve(HuggingFaceCheckpoint.CONFIG));
        Map<String, List<NamedArray>> shards = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        for (NamedArray t : TinyBert.tensors(false, 5).values()) {
            String shard =
                    t.name().contains("layer.1.") ? "model-2.safetensors" : "model-1.safetensors";
            shards.computeIfAbsent(shard, k -> new ArrayList<>())
                    .add(t.withName("bert." + t.name()));
            map.append(map.isEmpty() ? "" : ",\n")
                    .append("    \"bert.")
                    .append(t.name())
                    .append("\": \"")
                    .append(shard)
                    .append('"');
        }
        for (var e : shards.entrySet()) {
            SafetensorsWriter.write(sharded.resolve(e.getKey()), e.getValue());
        }
        index =
                ("{\"metadata\": {\"total_size\": 2048},\n  \"weight_map\": {\n" + map + "}}")
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(sharded.resolve(HuggingFaceCheckpoint.WEIGHTS_INDEX), index);
        HuggingFaceCheckpoint.load(single);
        HuggingFaceCheckpoint.load(sharded);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(single.getParent())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 600, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyConfigLoadsOrIsRefusedNamingTheFolder(@ForAll("configs") byte[] bytes)
            throws IOException {
        Files.write(single.resolve(HuggingFaceCheckpoint.CONFIG), bytes);
        Fuzz.loadsOrRefuses(
                "config.json mutant " + new String(bytes, StandardCharsets.UTF_8),
                () -> HuggingFaceCheckpoint.load(single),
                Fuzz.messageNames(WeightFormatException.class, single.toString()),
                MEMORY);
    }

    @Provide
    net.jqwik.api.Arbitrary<byte[]> configs() {
        return Mutations.json(config);
    }

    @Property(tries = 400, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyShardIndexLoadsOrIsRefusedNamingTheFolder(@ForAll("indexes") byte[] bytes)
            throws IOException {
        Files.write(sharded.resolve(HuggingFaceCheckpoint.WEIGHTS_INDEX), bytes);
        Fuzz.loadsOrRefuses(
                "index mutant of " + bytes.length + " bytes",
                () -> HuggingFaceCheckpoint.load(sharded),
                Fuzz.messageNames(WeightFormatException.class, sharded.toString()),
                MEMORY);
    }

    @Provide
    net.jqwik.api.Arbitrary<byte[]> indexes() {
        return Mutations.json(index);
    }

    /**
     * A 250-byte config.json with num_hidden_layers 2147483647 built the names of two billion
     * layers (memory climbed to 3 GB, then OutOfMemoryError in BertNames.expectedShapes).
     */
    @Example
    void refusesTwoBillionLayersBeforeSizingAnything() throws IOException {
        Path dir = Files.createTempDirectory("layers");
        HuggingFaceCheckpoint.save(dir, TinyBert.weights(false, 5), null);
        Path configFile = dir.resolve(HuggingFaceCheckpoint.CONFIG);
        Files.writeString(
                configFile,
                Files.readString(configFile)
                        .replace(
                                "\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 2147483647"));
        var e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e.getMessage()
                        .startsWith(configFile + ": num_hidden_layers is 2147483647, more than"),
                e.getMessage());
        // Within the bounds, but more layers than the weights hold: refused against the headers.
        Files.writeString(configFile, Files.readString(configFile).replace("2147483647", "1000"));
        e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e.getMessage()
                        .equals(
                                configFile
                                        + ": num_hidden_layers is 1000 but the weights hold 2"
                                        + " (encoder.layer.0 to encoder.layer.1)"),
                e.getMessage());
    }

    /**
     * Bytes Jackson takes for UTF-32 failed with a CharConversionException that did not name the
     * file.
     */
    @Example
    void namesTheFileOfAConfigThatIsNotUtf8() throws IOException {
        Path dir = Files.createTempDirectory("utf32");
        HuggingFaceCheckpoint.save(dir, TinyBert.weights(false, 5), null);
        Path configFile = dir.resolve(HuggingFaceCheckpoint.CONFIG);
        Files.write(configFile, new byte[] {0, 0, 0, '{', (byte) 0x7f, (byte) 0xff, 0, 0});
        var e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(e.getMessage().startsWith(configFile + ": "), e.getMessage());
        Files.write(configFile, new byte[] {'{', (byte) 0xc3, '}'});
        e = assertThrows(WeightFormatException.class, () -> HuggingFaceCheckpoint.load(dir));
        assertTrue(
                e.getMessage()
                        .equals(
                                configFile
                                        + ": not UTF-8 text (JSON files must be UTF-8): invalid"
                                        + " byte 0xc3 at offset 1"),
                e.getMessage());
    }
}
