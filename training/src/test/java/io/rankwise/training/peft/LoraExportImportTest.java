package io.rankwise.training.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsDType;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.SafetensorsWriter;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip of the PEFT LoRA export with synthetic adapters, and the folder checked against what
 * Python PEFT's {@code LoraConfig} and {@code get_peft_model_state_dict} write for plain LoRA:
 * {@code peft_type} LORA with its fields, {@code lora_A.weight} [r, in] and {@code lora_B.weight}
 * [out, r] under the SEQ_CLS model's keys, the head under {@code modules_to_save}.
 */
class LoraExportImportTest {
    private static final String Q0 = "encoder.layer.0.attention.self.query";
    private static final String V0 = "encoder.layer.0.attention.self.value";
    private static final String Q10 = "encoder.layer.10.attention.self.query";
    private static final int R = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private LoraSettings settings;
    private List<LoraWeights> adapters;
    private HeadWeights head;
    private Path folder;

    @BeforeEach
    void setUp() throws IOException {
        settings =
                new LoraSettings(
                        R,
                        6,
                        List.of("value", "query"),
                        "sentence-transformers/all-MiniLM-L6-v2",
                        "SEQ_CLS",
                        0.0);
        Random random = new Random(42);
        // Q10 first: the importer returns model order whatever the file's order.
        adapters =
                List.of(
                        random(Q10, 6, 3, random),
                        random(V0, 6, 5, random),
                        random(Q0, 6, 5, random));
        double[] w = new double[2 * 5];
        double[] b = {0.25, -0.5};
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        head = HeadWeights.classifier(2, 5, w, b);
        folder = tmp.resolve("adapter");
        PeftExporter.exportLora(folder, ModelFamily.BERT, adapters, Optional.of(head), settings);
    }

    private static LoraWeights random(String module, int dIn, int dOut, Random random) {
        double[] a = new double[R * dIn];
        double[] b = new double[dOut * R];
        for (double[] m : List.of(a, b)) {
            for (int i = 0; i < m.length; i++) {
                m[i] = random.nextGaussian() * 0.1;
            }
        }
        return new LoraWeights(module, dIn, dOut, a, b);
    }

    private LoraWeights original(String module) {
        return adapters.stream().filter(a -> a.module().equals(module)).findFirst().orElseThrow();
    }

    private static double[] asFloats(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Test
    void folderHoldsTheTwoPeftFilesAndTheirDigests() throws IOException {
        try (var files = Files.list(folder)) {
            assertEquals(
                    Set.of("adapter_config.json", "adapter_model.safetensors", "digest.sha256"),
                    files.map(f -> f.getFileName().toString())
                            .collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void tensorsAreLinearWeightsUnderPeftsKeysAsFloat32() throws IOException {
        try (SafetensorsReader reader =
                SafetensorsReader.open(folder.resolve("adapter_model.safetensors"))) {
            List<String> expected = new ArrayList<>();
            for (String m : List.of(Q0, V0, Q10)) {
                expected.add("base_model.model.bert." + m + ".lora_A.weight");
                expected.add("base_model.model.bert." + m + ".lora_B.weight");
            }
            expected.add("base_model.model.classifier.weight");
            expected.add("base_model.model.classifier.bias");
            // Name order, as the safetensors serializer writes.
            assertEquals(new ArrayList<>(new TreeSet<>(expected)), reader.names());
            assertEquals(Map.of("format", "pt"), reader.metadata());
            for (SafetensorsEntry e : reader.entries()) {
                assertEquals(SafetensorsDType.F32, e.dtype(), e.name());
            }
            assertShape(reader, "bert." + Q0 + ".lora_A.weight", R, 6);
            assertShape(reader, "bert." + Q0 + ".lora_B.weight", 5, R);
            assertShape(reader, "bert." + Q10 + ".lora_A.weight", R, 6);
            assertShape(reader, "bert." + Q10 + ".lora_B.weight", 3, R);
            assertShape(reader, "classifier.weight", 2, 5);
            assertShape(reader, "classifier.bias", 2);
            // A row-major [r, in], B row-major [out, r]: the arrays as they are, in float32.
            LoraWeights q0 = original(Q0);
            assertArrayEquals(
                    asFloats(q0.a()),
                    toDoubles(
                            reader.read("base_model.model.bert." + Q0 + ".lora_A.weight").data()));
            assertArrayEquals(
                    asFloats(q0.b()),
                    toDoubles(
                            reader.read("base_model.model.bert." + Q0 + ".lora_B.weight").data()));
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void assertShape(SafetensorsReader reader, String key, long... shape) {
        assertArrayEquals(
                shape, reader.entry("base_model.model." + key).orElseThrow().shape(), key);
    }

    @Test
    void configHasLoraConfigsFieldsAndTypes() throws IOException {
        JsonNode c = JSON.readTree(folder.resolve("adapter_config.json").toFile());
        assertEquals("LORA", c.get("peft_type").textValue());
        assertTrue(c.get("r").isInt(), "r: " + c.get("r"));
        assertEquals(R, c.get("r").intValue());
        assertTrue(c.get("lora_alpha").isInt(), "lora_alpha is an int in LoraConfig");
        assertEquals(6, c.get("lora_alpha").intValue());
        assertTrue(c.get("lora_dropout").isFloatingPointNumber(), "lora_dropout is a float");
        assertEquals(0.0, c.get("lora_dropout").doubleValue());
        assertEquals("[\"query\",\"value\"]", c.get("target_modules").toString(), "sorted");
        assertEquals("[\"classifier\"]", c.get("modules_to_save").toString());
        assertEquals("SEQ_CLS", c.get("task_type").textValue());
        assertEquals("none", c.get("bias").textValue());
        assertEquals(false, c.get("fan_in_fan_out").booleanValue());
        assertEquals(true, c.get("init_lora_weights").booleanValue());
        assertEquals(true, c.get("inference_mode").booleanValue());
        assertEquals(
                "sentence-transformers/all-MiniLM-L6-v2",
                c.get("base_model_name_or_path").textValue());
        // Exactly LoraConfig's fields PEFT has written since 0.4, no AdaLoRA ones.
        assertEquals(
                List.of(
                        "auto_mapping",
                        "base_model_name_or_path",
                        "bias",
                        "fan_in_fan_out",
                        "inference_mode",
                        "init_lora_weights",
                        "layers_pattern",
                        "layers_to_transform",
                        "lora_alpha",
                        "lora_dropout",
                        "modules_to_save",
                        "peft_type",
                        "r",
                        "revision",
                        "target_modules",
                        "task_type"),
                fieldNames(c),
                "the fields, sorted as json.dumps(sort_keys=True) writes them");
        // Python's json.dumps(indent=2) spacing.
        String text = Files.readString(folder.resolve("adapter_config.json"));
        assertTrue(text.contains("\n  \"peft_type\": \"LORA\",\n"), text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRunsSettingsAreItsRankAlphaTargetsAndAdapterDropout() {
        io.rankwise.training.spec.RunSpec small =
                io.rankwise.training.SmallRun.lora("djl", io.rankwise.training.SmallRun.ivon());
        io.rankwise.training.spec.RunSpec.Adapter a = small.adapter();
        io.rankwise.training.spec.RunSpec withDropout =
                new io.rankwise.training.spec.RunSpec(
                        small.backend(),
                        small.model(),
                        new io.rankwise.training.spec.RunSpec.Adapter(
                                a.kind(), a.initR(), a.loraAlpha(), a.targetModules(), 0.1),
                        small.allocator(),
                        small.optimizer(),
                        small.metric(),
                        small.task(),
                        small.training());
        assertEquals(
                new LoraSettings(
                        3,
                        6,
                        List.of("query", "value"),
                        "sentence-transformers/all-MiniLM-L6-v2",
                        "SEQ_CLS",
                        0.1),
                PeftSettings.forRun(withDropout, 8));
        assertEquals(0.0, LoraSettings.forRun(small).loraDropout(), "PEFT's default");
    }

    @Test
    void importGivesBackTheValuesAndSettingsInModelOrder() throws IOException {
        PeftLoraAdapter back = PeftImporter.readLora(folder);
        assertEquals(settings, back.settings());
        assertEquals(
                List.of(Q0, V0, Q10), back.adapters().stream().map(LoraWeights::module).toList());
        for (LoraWeights got : back.adapters()) {
            LoraWeights want = original(got.module());
            assertEquals(want.dIn(), got.dIn());
            assertEquals(want.dOut(), got.dOut());
            assertArrayEquals(asFloats(want.a()), got.a(), 0.0, got.module() + " A");
            assertArrayEquals(asFloats(want.b()), got.b(), 0.0, got.module() + " B");
        }
        HeadWeights h = back.head().orElseThrow();
        assertTrue(h.fits(head), h.layout());
        assertArrayEquals(
                asFloats(head.values("classifier.weight")), h.values("classifier.weight"));
        assertArrayEquals(new double[] {0.25, -0.5}, h.values("classifier.bias"));
    }

    @Test
    void deltaWOfTheImportIsBTimesAInFloat64() throws IOException {
        PeftLoraAdapter back = PeftImporter.readLora(folder);
        LoraWeights w = back.adapters().get(0);
        double[] delta = w.deltaW();
        for (int o = 0; o < w.dOut(); o++) {
            for (int j = 0; j < w.dIn(); j++) {
                double sum = 0;
                for (int k = 0; k < R; k++) {
                    sum += w.b()[o * R + k] * w.a()[k * w.dIn() + j];
                }
                assertEquals(sum, delta[o * w.dIn() + j], 1e-15, "ΔW[" + o + "][" + j + "]");
            }
        }
    }

    @Test
    void exportOfTheImportWritesIdenticalFiles() throws IOException {
        PeftLoraAdapter back = PeftImporter.readLora(folder);
        Path again = tmp.resolve("again");
        PeftExporter.exportLora(
                again, ModelFamily.BERT, back.adapters(), back.head(), back.settings());
        for (String f :
                List.of("adapter_config.json", "adapter_model.safetensors", "digest.sha256")) {
            assertArrayEquals(
                    Files.readAllBytes(folder.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }

    @Test
    void aModelOfAnotherRankOrWidthIsNamedBeforeReading() {
        var otherRank =
                new PeftImporter.ModelShape(
                        4,
                        Map.of(
                                Q0,
                                new long[] {5, 6},
                                V0,
                                new long[] {5, 6},
                                Q10,
                                new long[] {3, 6}));
        var e =
                assertThrows(
                        WeightFormatException.class,
                        () -> PeftImporter.readLora(folder, otherRank));
        assertEquals(
                folder.resolve("adapter_config.json")
                        + ": r is 3; the model has adapter.init_r 4 (accepted: the same; --set"
                        + " adapter.init_r=3)",
                e.getMessage());
        var otherWidth =
                new PeftImporter.ModelShape(
                        R,
                        Map.of(
                                Q0,
                                new long[] {5, 6},
                                V0,
                                new long[] {5, 7},
                                Q10,
                                new long[] {3, 6}));
        e =
                assertThrows(
                        WeightFormatException.class,
                        () -> PeftImporter.readLora(folder, otherWidth));
        assertEquals(
                folder.resolve("adapter_model.safetensors")
                        + ": 'base_model.model.bert."
                        + V0
                        + ".lora_A.weight' and 'base_model.model.bert."
                        + V0
                        + ".lora_B.weight' are for a 5×6 layer; the model's "
                        + V0
                        + " is 5×7 (another base model?)",
                e.getMessage());
    }

    // ---- refusals, each naming the file and the key ----

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        Path file = folder.resolve("adapter_config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(config);
        Files.writeString(file, JSON.writeValueAsString(config));
        // Edited as by another tool, which does not keep Rankwise's digests.
        Files.deleteIfExists(folder.resolve(AdapterDigest.FILE));
    }

    private WeightFormatException refused() {
        return assertThrows(WeightFormatException.class, () -> PeftImporter.readLora(folder));
    }

    @Test
    void anAdaLoraConfigIsNotReadAsLora() throws IOException {
        editConfig(c -> c.put("peft_type", "ADALORA"));
        assertEquals(
                folder.resolve("adapter_config.json")
                        + ": peft_type is \"ADALORA\", expected \"LORA\" (a plain LoRA adapter)",
                refused().getMessage());
    }

    @Test
    void settingsThatChangeWhatTheTensorsMeanAreRefusedNamingTheField() throws IOException {
        Map<String, Consumer<ObjectNode>> edits =
                Map.of(
                        "use_rslora is true; only false is supported (the scale alpha / r)",
                        c -> c.put("use_rslora", true),
                        "use_dora is true; only false is supported (no DoRA magnitudes)",
                        c -> c.put("use_dora", true),
                        "fan_in_fan_out is true; only false is supported (lora_A [r, in], lora_B"
                                + " [out, r])",
                        c -> c.put("fan_in_fan_out", true),
                        "bias is \"all\"; only \"none\" is supported (no bias tensors)",
                        c -> c.put("bias", "all"),
                        "rank_pattern is a map of 1 modules; only {} is supported (every module"
                                + " with the one r)",
                        c -> c.putObject("rank_pattern").put("query", 8));
        for (Map.Entry<String, Consumer<ObjectNode>> edit : edits.entrySet()) {
            PeftExporter.exportLora(
                    folder, ModelFamily.BERT, adapters, Optional.of(head), settings);
            editConfig(edit.getValue());
            assertEquals(
                    folder.resolve("adapter_config.json") + ": " + edit.getKey(),
                    refused().getMessage());
        }
        // Defaults written out, as a newer PEFT writes every field, are read.
        PeftExporter.exportLora(folder, ModelFamily.BERT, adapters, Optional.of(head), settings);
        editConfig(
                c -> {
                    c.put("use_rslora", false);
                    c.put("use_dora", false);
                    c.putObject("rank_pattern");
                    c.putObject("alpha_pattern");
                    c.put("lora_bias", false);
                });
        assertEquals(settings, PeftImporter.readLora(folder).settings());
    }

    private void rewriteWeights(Consumer<List<NamedArray>> edit) throws IOException {
        Path file = folder.resolve("adapter_model.safetensors");
        List<NamedArray> tensors = new ArrayList<>();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String name : reader.names()) {
                tensors.add(reader.read(name));
            }
        }
        edit.accept(tensors);
        SafetensorsWriter.write(file, tensors);
        Files.deleteIfExists(folder.resolve(AdapterDigest.FILE));
    }

    @Test
    void aMissingPartAWrongShapeAndAForeignTensorAreNamed() throws IOException {
        String bKey = "base_model.model.bert." + V0 + ".lora_B.weight";
        rewriteWeights(t -> t.removeIf(a -> a.name().equals(bKey)));
        assertEquals(
                folder.resolve("adapter_model.safetensors")
                        + ": module "
                        + V0
                        + " lacks the tensor '"
                        + bKey
                        + "'",
                refused().getMessage());

        PeftExporter.exportLora(folder, ModelFamily.BERT, adapters, Optional.of(head), settings);
        rewriteWeights(
                t -> {
                    t.removeIf(a -> a.name().equals(bKey));
                    t.add(new NamedArray(bKey, new long[] {5, 2}, new float[10]));
                });
        assertEquals(
                folder.resolve("adapter_model.safetensors")
                        + ": tensor '"
                        + bKey
                        + "' has shape [5, 2], expected [d_out, 3] (r is 3 in adapter_config.json)",
                refused().getMessage());

        PeftExporter.exportLora(folder, ModelFamily.BERT, adapters, Optional.of(head), settings);
        String magnitude = "base_model.model.bert." + V0 + ".lora_magnitude_vector";
        rewriteWeights(t -> t.add(new NamedArray(magnitude, new long[] {5}, new float[5])));
        WeightFormatException e = refused();
        assertTrue(
                e.getMessage()
                        .startsWith(
                                folder.resolve("adapter_model.safetensors")
                                        + ": unexpected tensor '"
                                        + magnitude
                                        + "': a LoRA adapter holds only"),
                e.getMessage());
    }

    @Test
    void anAdaLoraFolderReadAsLoraSaysWhatItIs() throws IOException {
        rewriteWeights(
                t -> {
                    t.removeIf(a -> a.name().endsWith(".weight") && a.name().contains("lora_"));
                    t.add(
                            new NamedArray(
                                    "base_model.model.bert." + Q0 + ".lora_A",
                                    new long[] {3, 6},
                                    new float[18]));
                });
        WeightFormatException e = refused();
        assertTrue(e.getMessage().contains("is this an AdaLoRA adapter?"), e.getMessage());
    }

    @Test
    void aChangedFileFailsItsDigest() throws IOException {
        Path weights = folder.resolve("adapter_model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        WeightFormatException e = refused();
        assertTrue(
                e.getMessage().startsWith(weights + ": corrupted: its SHA-256 is"), e.getMessage());
    }

    @Test
    void exportRefusesAnAdapterOfAnotherRankOrAnUntargetedModule() {
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PeftExporter.exportLora(
                                        tmp.resolve("x"),
                                        ModelFamily.BERT,
                                        List.of(
                                                new LoraWeights(
                                                        Q0,
                                                        6,
                                                        5,
                                                        new double[2 * 6],
                                                        new double[5 * 2])),
                                        Optional.empty(),
                                        settings));
        assertEquals("adapter " + Q0 + " has rank 2 but r is 3", e.getMessage());
        String dense = "encoder.layer.0.output.dense";
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PeftExporter.exportLora(
                                        tmp.resolve("y"),
                                        ModelFamily.BERT,
                                        List.of(random(dense, 6, 5, new Random(1))),
                                        Optional.empty(),
                                        settings));
        assertTrue(e.getMessage().contains("is not matched by target_modules"), e.getMessage());
    }

    @Test
    void aRobertaExportUsesItsEncoderAttributeAndReadsBack() throws IOException {
        Path roberta = tmp.resolve("roberta");
        PeftExporter.exportLora(roberta, ModelFamily.ROBERTA, adapters, Optional.empty(), settings);
        try (SafetensorsReader reader =
                SafetensorsReader.open(roberta.resolve("adapter_model.safetensors"))) {
            assertTrue(
                    reader.names().contains("base_model.model.roberta." + Q0 + ".lora_A.weight"),
                    reader.names().toString());
        }
        assertEquals(
                List.of(Q0, V0, Q10),
                PeftImporter.readLora(roberta).adapters().stream()
                        .map(LoraWeights::module)
                        .toList());
        String json =
                Files.readString(roberta.resolve("adapter_config.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"modules_to_save\": null"), json);
    }
}
