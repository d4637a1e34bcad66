package io.rankwise.training.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.SafetensorsWriter;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
 * Mutants of a PEFT AdaLoRA adapter folder and of a plain LoRA one (adapter_config.json, and
 * adapter_model.safetensors whole or its header's numbers): the folder reads, with or without a
 * model to check it against, or is refused with an exception naming its file; never an
 * OutOfMemoryError or NegativeArraySizeException from shapes that cost no bytes in the file. A LoRA
 * mutant goes through both readers, since a folder of either kind may be given to either.
 */
class PeftImporterFuzzTest {
    private static final String Q0 = "encoder.layer.0.attention.self.query";
    private static final String V0 = "encoder.layer.0.attention.self.value";
    private static final int R = 4;
    private static final long MEMORY = 32L * 1024 * 1024;

    private static Path root;
    private static Path folder;
    private static byte[] config;
    private static byte[] weights;
    private static final PeftImporter.ModelShape MODEL =
            new PeftImporter.ModelShape(R, Map.of(Q0, new long[] {5, 6}, V0, new long[] {5, 6}));

    /** LoRA's rank in its seed folder. */
    private static final int LORA_R = 2;

    private static final PeftImporter.ModelShape LORA_MODEL =
            new PeftImporter.ModelShape(
                    LORA_R, Map.of(Q0, new long[] {5, 6}, V0, new long[] {5, 6}));

    private static byte[] loraConfig;
    private static byte[] loraWeights;

    @BeforeContainer
    static void seeds() throws IOException {
        root = Files.createTempDirectory("peft-fuzz");
        Path seed = export(root.resolve("seed"));
        config = Files.readAllBytes(seed.resolve(PeftNames.CONFIG_FILE));
        weights = Files.readAllBytes(seed.resolve(PeftNames.WEIGHTS_FILE));
        folder = export(root.resolve("mutant"));
        Path loraSeed = exportLora(root.resolve("lora-seed"));
        loraConfig = Files.readAllBytes(loraSeed.resolve(PeftNames.CONFIG_FILE));
        loraWeights = Files.readAllBytes(loraSeed.resolve(PeftNames.WEIGHTS_FILE));
    }

    /** Two LoRA modules of a 5×6 layer at r 2, and a head, without Rankwise's digest. */
    private static Path exportLora(Path to) throws IOException {
        LoraSettings settings =
                new LoraSettings(LORA_R, 4, List.of("value", "query"), null, "SEQ_CLS", 0.0);
        Random random = new Random(8);
        List<LoraWeights> adapters = new ArrayList<>();
        for (String module : List.of(Q0, V0)) {
            double[] a = new double[LORA_R * 6];
            double[] b = new double[5 * LORA_R];
            for (double[] m : List.of(a, b)) {
                for (int i = 0; i < m.length; i++) {
                    m[i] = random.nextGaussian();
                }
            }
            adapters.add(new LoraWeights(module, 6, 5, a, b));
        }
        HeadWeights head = HeadWeights.classifier(2, 5, new double[10], new double[2]);
        PeftExporter.exportLora(
                to,
                io.rankwise.models.family.ModelFamily.BERT,
                adapters,
                Optional.of(head),
                settings);
        Files.delete(to.resolve(AdapterDigest.FILE));
        return to;
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Two modules of a 5×6 layer at init_r 4, one pruned to rank 2, one to rank 0, and a head. */
    private static Path export(Path to) throws IOException {
        AdaLoraSettings settings =
                new AdaLoraSettings(
                        R,
                        2,
                        16,
                        10,
                        20,
                        5,
                        100,
                        0.5,
                        0.85,
                        0.85,
                        List.of("value", "query"),
                        null,
                        "SEQ_CLS",
                        0.0);
        Random random = new Random(7);
        List<AdapterWeights> adapters = List.of(adapter(Q0, random), adapter(V0, random));
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        pattern.put(Q0, new boolean[] {true, false, true, false});
        pattern.put(V0, new boolean[] {false, false, false, false});
        HeadWeights head = HeadWeights.classifier(2, 5, new double[10], new double[2]);
        PeftExporter.export(
                to,
                io.rankwise.models.family.ModelFamily.BERT,
                adapters,
                Optional.of(head),
                pattern,
                settings);
        // As Python PEFT writes it: without Rankwise's digest, which would refuse every mutant
        // before the reader's own checks are reached.
        Files.delete(to.resolve(AdapterDigest.FILE));
        return to;
    }

    private static AdapterWeights adapter(String module, Random random) {
        double[] p = new double[5 * R];
        double[] lambda = new double[R];
        double[] q = new double[R * 6];
        for (double[] a : List.of(p, lambda, q)) {
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextGaussian();
            }
        }
        return new AdapterWeights(module, 6, 5, p, lambda, q);
    }

    @Property(tries = 500, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyConfigReadsOrIsRefusedNamingIt(
            @ForAll("configs") byte[] bytes, @ForAll boolean withModel) throws IOException {
        Files.write(folder.resolve(PeftNames.CONFIG_FILE), bytes);
        Files.write(folder.resolve(PeftNames.WEIGHTS_FILE), weights);
        check(
                "adapter_config.json mutant "
                        + new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                withModel);
    }

    @Property(tries = 700, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyWeightsFileReadsOrIsRefusedNamingIt(
            @ForAll("weightFiles") byte[] bytes, @ForAll boolean withModel) throws IOException {
        Files.write(folder.resolve(PeftNames.CONFIG_FILE), config);
        Files.write(folder.resolve(PeftNames.WEIGHTS_FILE), bytes);
        check("adapter_model.safetensors mutant of " + bytes.length + " bytes", withModel);
    }

    @Property(tries = 300, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyLoraConfigReadsOrIsRefusedNamingIt(
            @ForAll("loraConfigs") byte[] bytes, @ForAll boolean withModel) throws IOException {
        Files.write(folder.resolve(PeftNames.CONFIG_FILE), bytes);
        Files.write(folder.resolve(PeftNames.WEIGHTS_FILE), loraWeights);
        checkLora(
                "LoRA adapter_config.json mutant "
                        + new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                withModel);
    }

    @Property(tries = 400, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyLoraWeightsFileReadsOrIsRefusedNamingIt(
            @ForAll("loraWeightFiles") byte[] bytes, @ForAll boolean withModel) throws IOException {
        Files.write(folder.resolve(PeftNames.CONFIG_FILE), loraConfig);
        Files.write(folder.resolve(PeftNames.WEIGHTS_FILE), bytes);
        checkLora("LoRA adapter_model.safetensors mutant of " + bytes.length + " bytes", withModel);
    }

    /** Through the LoRA reader, and the AdaLoRA reader, which must refuse it as cleanly. */
    private static void checkLora(String input, boolean withModel) {
        Fuzz.loadsOrRefuses(
                input + (withModel ? " (checked against a model)" : ""),
                () ->
                        withModel
                                ? PeftImporter.readLora(folder, LORA_MODEL)
                                : PeftImporter.readLora(folder),
                Fuzz.messageNames(WeightFormatException.class, folder.toString()),
                MEMORY);
        check(input + " read as AdaLoRA", withModel);
    }

    private static void check(String input, boolean withModel) {
        Fuzz.loadsOrRefuses(
                input + (withModel ? " (checked against a model)" : ""),
                () -> withModel ? PeftImporter.read(folder, MODEL) : PeftImporter.read(folder),
                Fuzz.messageNames(WeightFormatException.class, folder.toString()),
                MEMORY);
    }

    @Provide
    Arbitrary<byte[]> configs() {
        return Mutations.json(config);
    }

    @Provide
    Arbitrary<byte[]> weightFiles() {
        return safetensorsMutants(weights);
    }

    @Provide
    Arbitrary<byte[]> loraConfigs() {
        return Mutations.json(loraConfig);
    }

    @Provide
    Arbitrary<byte[]> loraWeightFiles() {
        return safetensorsMutants(loraWeights);
    }

    /** The file's bytes mutated, or its JSON header mutated with the data kept. */
    private static Arbitrary<byte[]> safetensorsMutants(byte[] weights) {
        int length = (int) ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = Arrays.copyOfRange(weights, 8, 8 + length);
        byte[] data = Arrays.copyOfRange(weights, 8 + length, weights.length);
        return Arbitraries.oneOf(
                Mutations.binary(weights),
                Mutations.json(header)
                        .map(
                                h ->
                                        ByteBuffer.allocate(8 + h.length + data.length)
                                                .order(ByteOrder.LITTLE_ENDIAN)
                                                .putLong(h.length)
                                                .put(h)
                                                .put(data)
                                                .array()));
    }

    /** The seed folder with V0's lora_A (pruned to rank 0, so empty) given another shape. */
    private static Path withEmptyLoraA(String name, long dIn) throws IOException {
        Path to = export(root.resolve(name));
        Path file = to.resolve(PeftNames.WEIGHTS_FILE);
        List<NamedArray> tensors = new ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (String key : r.names()) {
                tensors.add(
                        key.equals(
                                        PeftNames.tensorKey(
                                                io.rankwise.models.family.ModelFamily.BERT,
                                                V0,
                                                PeftNames.LORA_A))
                                ? new NamedArray(key, new long[] {0, dIn}, new float[0])
                                : r.read(key));
            }
        }
        SafetensorsWriter.write(file, tensors);
        return to;
    }

    /**
     * A 9.6 KB folder whose pruned module has an empty lora_A [0, 300000000]: the full-rank Q of
     * init_r × 300000000 doubles was allocated (OutOfMemoryError in PeftImporter.readModule).
     */
    @Example
    void refusesAnEmptyTensorOfAHugeWidth() throws IOException {
        Path to = withEmptyLoraA("empty-wide", 300_000_000L);
        String key =
                PeftNames.tensorKey(
                        io.rankwise.models.family.ModelFamily.BERT, V0, PeftNames.LORA_A);
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.read(to));
        assertEquals(
                to.resolve(PeftNames.WEIGHTS_FILE)
                        + ": '"
                        + key
                        + "' and '"
                        + PeftNames.tensorKey(
                                io.rankwise.models.family.ModelFamily.BERT, V0, PeftNames.LORA_B)
                        + "' are for a 5×300000000 layer, wider than the 131072 of any"
                        + " BERT-family layer",
                e.getMessage());
        e = assertThrows(WeightFormatException.class, () -> PeftImporter.read(to, MODEL));
        assertTrue(
                e.getMessage().endsWith("the model's " + V0 + " is 5×6 (another base model?)"),
                e.getMessage());
    }

    /** Width 2^31-1: init_r × d_in overflowed an int (NegativeArraySizeException). */
    @Example
    void refusesAWidthWhoseFullRankOverflows() throws IOException {
        Path to = withEmptyLoraA("empty-max", Integer.MAX_VALUE);
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.read(to));
        assertTrue(e.getMessage().contains("5×2147483647 layer, wider than"), e.getMessage());
    }

    /** init_r 2147483647 without a rank pattern: a keep-all pattern of init_r booleans (OOM). */
    @Example
    void refusesAnInitRNoLayerCanUse() throws IOException {
        Path to = export(root.resolve("init-r"));
        Path configFile = to.resolve(PeftNames.CONFIG_FILE);
        String json = Files.readString(configFile);
        json = json.replaceAll("\"init_r\": 4", "\"init_r\": 2147483647");
        json = json.replaceAll("(?s)\"rank_pattern\": \\{.*?\\]\\s*\\}", "\"rank_pattern\": null");
        Files.writeString(configFile, json);
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.read(to));
        assertEquals(
                configFile
                        + ": init_r is 2147483647, more than the 4096 an adapter of a"
                        + " BERT-family layer can use",
                e.getMessage());
    }

    /** r 2147483647: refused from the config, before anything is sized from it. */
    @Example
    void refusesALoraRankNoLayerCanUse() throws IOException {
        Path to = exportLora(root.resolve("lora-r"));
        Path configFile = to.resolve(PeftNames.CONFIG_FILE);
        Files.writeString(
                configFile, Files.readString(configFile).replace("\"r\": 2", "\"r\": 2147483647"));
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.readLora(to));
        assertEquals(
                configFile
                        + ": r is 2147483647, more than the 4096 an adapter of a BERT-family layer"
                        + " can use",
                e.getMessage());
    }

    /**
     * A LoRA lora_A whose header claims [2, 300000000] over the 48 bytes of [2, 6]: refused naming
     * the tensor and the bytes it would need, never allocated.
     */
    @Example
    void refusesALoraTensorOfAHugeWidth() throws IOException {
        Path to = exportLora(root.resolve("lora-wide"));
        Path file = to.resolve(PeftNames.WEIGHTS_FILE);
        String key =
                PeftNames.loraTensorKey(
                        io.rankwise.models.family.ModelFamily.BERT, V0, PeftNames.LORA_A);
        // The header's shape of V0's lora_A, [2, 6], claims [2, 300000000]: the reader must not
        // trust it for an allocation (the data is not there either).
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, length, java.nio.charset.StandardCharsets.UTF_8);
        int at = header.indexOf("\"" + key + "\"");
        String edited =
                header.substring(0, at)
                        + header.substring(at).replaceFirst("\\[2,\\s*6\\]", "[2,300000000]");
        byte[] h = edited.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out =
                ByteBuffer.allocate(8 + h.length + bytes.length - 8 - length)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(h.length)
                        .put(h)
                        .put(bytes, 8 + length, bytes.length - 8 - length)
                        .array();
        Files.write(file, out);
        Fuzz.loadsOrRefuses(
                "lora_A [2, 300000000]",
                () -> PeftImporter.readLora(to),
                Fuzz.messageNames(WeightFormatException.class, to.toString()),
                MEMORY);
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.readLora(to));
        assertTrue(
                e.getMessage()
                        .startsWith(file + ": tensor '" + key + "': F32 [2, 300000000] needs"),
                e.getMessage());
    }

    /** A config that is not UTF-8 was refused without the file named. */
    @Example
    void namesAConfigThatIsNotUtf8() throws IOException {
        Path to = export(root.resolve("utf32"));
        Path configFile = to.resolve(PeftNames.CONFIG_FILE);
        Files.write(configFile, new byte[] {0, 0, 0, '{', (byte) 0x7f, (byte) 0xff, 0, 0});
        var e = assertThrows(WeightFormatException.class, () -> PeftImporter.read(to));
        assertTrue(e.getMessage().startsWith(configFile + ": "), e.getMessage());
    }
}
