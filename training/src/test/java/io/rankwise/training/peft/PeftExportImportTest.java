package io.rankwise.training.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsDType;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.SafetensorsWriter;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip of the PEFT export with synthetic adapters, and the file layout checked against the
 * names, shapes and config fields Python PEFT writes for AdaLoRA (see {@link PeftNames}).
 */
class PeftExportImportTest {
    private static final String Q0 = "encoder.layer.0.attention.self.query";
    private static final String V0 = "encoder.layer.0.attention.self.value";
    private static final String Q10 = "encoder.layer.10.attention.self.query";
    private static final int R = 4;

    @TempDir Path tmp;

    private AdaLoraSettings settings;
    private List<AdapterWeights> adapters;
    private Map<String, boolean[]> pattern;
    private Path folder;

    @BeforeEach
    void setUp() throws IOException {
        settings =
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
                        "sentence-transformers/all-MiniLM-L6-v2",
                        "SEQ_CLS",
                        0.0);
        Random random = new Random(42);
        // Q10 first and Q0 last, to see that the importer returns model order whatever the input
        // order.
        adapters =
                List.of(
                        random(Q10, 6, 3, random),
                        random(V0, 6, 5, random),
                        random(Q0, 6, 5, random));
        pattern = new LinkedHashMap<>();
        pattern.put(Q0, new boolean[] {true, false, true, false});
        pattern.put(V0, new boolean[] {false, false, false, false}); // pruned to rank 0
        // Q10 has no entry: exported at full rank, as PEFT does for a module missing from the
        // pattern.
        folder = tmp.resolve("adapter");
        PeftExporter.export(folder, adapters, pattern, settings);
    }

    private static AdapterWeights random(String module, int dIn, int dOut, Random random) {
        double[] p = new double[dOut * R];
        double[] lambda = new double[R];
        double[] q = new double[R * dIn];
        for (double[] a : List.of(p, lambda, q)) {
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextGaussian() * 0.1;
            }
        }
        return new AdapterWeights(module, dIn, dOut, p, lambda, q);
    }

    private AdapterWeights original(String module) {
        return adapters.stream().filter(a -> a.module().equals(module)).findFirst().orElseThrow();
    }

    @Test
    void folderHoldsExactlyTheTwoPeftFilesAndTheirDigests() throws IOException {
        try (var files = Files.list(folder)) {
            assertEquals(
                    Set.of("adapter_config.json", "adapter_model.safetensors", "digest.sha256"),
                    files.map(f -> f.getFileName().toString())
                            .collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void tensorKeysShapesAndDtypeFollowPeft() throws IOException {
        try (SafetensorsReader reader =
                SafetensorsReader.open(folder.resolve("adapter_model.safetensors"))) {
            List<String> expected = new ArrayList<>();
            for (String m : List.of(Q0, V0, Q10)) {
                for (String part : List.of("lora_A", "lora_B", "lora_E")) {
                    expected.add("base_model.model.bert." + m + "." + part);
                }
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(reader.names()));
            // Name order, as the safetensors serializer writes.
            assertEquals(new ArrayList<>(new TreeSet<>(expected)), reader.names());
            assertEquals(Map.of("format", "pt"), reader.metadata());
            for (SafetensorsEntry e : reader.entries()) {
                assertEquals(SafetensorsDType.F32, e.dtype(), e.name());
            }
            // Q0 keeps 2 triplets, V0 none, Q10 (no pattern entry) all 4.
            assertShape(reader, Q0 + ".lora_A", 2, 6);
            assertShape(reader, Q0 + ".lora_B", 5, 2);
            assertShape(reader, Q0 + ".lora_E", 2, 1);
            assertShape(reader, V0 + ".lora_A", 0, 6);
            assertShape(reader, V0 + ".lora_B", 5, 0);
            assertShape(reader, V0 + ".lora_E", 0, 1);
            assertShape(reader, Q10 + ".lora_A", 4, 6);
            assertShape(reader, Q10 + ".lora_B", 3, 4);
            assertShape(reader, Q10 + ".lora_E", 4, 1);
        }
    }

    private static void assertShape(SafetensorsReader reader, String key, long... shape) {
        assertArrayEquals(
                shape, reader.entry("base_model.model.bert." + key).orElseThrow().shape(), key);
    }

    @Test
    void prunedValuesAreTheKeptRowsAndColumnsAsFloat32() throws IOException {
        AdapterWeights w = original(Q0);
        int[] kept = {0, 2};
        try (SafetensorsReader reader =
                SafetensorsReader.open(folder.resolve("adapter_model.safetensors"))) {
            float[] a = reader.read("base_model.model.bert." + Q0 + ".lora_A").data();
            float[] b = reader.read("base_model.model.bert." + Q0 + ".lora_B").data();
            float[] e = reader.read("base_model.model.bert." + Q0 + ".lora_E").data();
            for (int n = 0; n < kept.length; n++) {
                int i = kept[n];
                assertEquals((float) w.lambda()[i], e[n]);
                for (int j = 0; j < w.dIn(); j++) {
                    assertEquals((float) w.q()[i * w.dIn() + j], a[n * w.dIn() + j]);
                }
                for (int o = 0; o < w.dOut(); o++) {
                    assertEquals((float) w.p()[o * R + i], b[o * kept.length + n]);
                }
            }
        }
    }

    @Test
    void configHasPeftsAdaLoraFieldsAndTypes() throws IOException {
        String text = Files.readString(folder.resolve("adapter_config.json"));
        JsonNode c = new ObjectMapper().readTree(text);
        assertTrue(
                text.contains("\"peft_type\": \"ADALORA\""), "Python json.dumps spacing: " + text);
        assertEquals("ADALORA", c.get("peft_type").textValue());
        assertEquals("SEQ_CLS", c.get("task_type").textValue());
        assertEquals(
                "sentence-transformers/all-MiniLM-L6-v2",
                c.get("base_model_name_or_path").textValue());
        assertTrue(c.get("inference_mode").booleanValue());
        assertEquals("none", c.get("bias").textValue());
        for (String intField :
                List.of(
                        "init_r",
                        "target_r",
                        "lora_alpha",
                        "r",
                        "tinit",
                        "tfinal",
                        "deltaT",
                        "total_step")) {
            assertTrue(
                    c.get(intField).isInt(), intField + " must be an integer: " + c.get(intField));
        }
        assertEquals(4, c.get("init_r").intValue());
        assertEquals(2, c.get("target_r").intValue());
        assertEquals(16, c.get("lora_alpha").intValue());
        assertEquals(8, c.get("r").intValue()); // LoraConfig's default: AdaLoRA ignores r
        assertEquals(10, c.get("tinit").intValue());
        assertEquals(20, c.get("tfinal").intValue());
        assertEquals(5, c.get("deltaT").intValue());
        assertEquals(100, c.get("total_step").intValue());
        for (String floatField : List.of("beta1", "beta2", "orth_reg_weight", "lora_dropout")) {
            assertTrue(
                    c.get(floatField).isFloatingPointNumber(),
                    floatField + ": " + c.get(floatField));
        }
        assertEquals(0.85, c.get("beta1").doubleValue());
        assertEquals(0.5, c.get("orth_reg_weight").doubleValue());
        assertEquals(List.of("query", "value"), strings(c.get("target_modules")));
        JsonNode rp = c.get("rank_pattern");
        // The file names modules as BertForSequenceClassification does (its encoder is `bert`).
        assertEquals(Set.of("bert." + Q0 + ".lora_E", "bert." + V0 + ".lora_E"), fieldNames(rp));
        assertEquals("[true,false,true,false]", rp.get("bert." + Q0 + ".lora_E").toString());
        assertEquals("[false,false,false,false]", rp.get("bert." + V0 + ".lora_E").toString());
        // Keys sorted, as PEFT's json.dumps(sort_keys=True).
        List<String> keys = new ArrayList<>(fieldNames(c));
        List<String> order = new ArrayList<>();
        c.fieldNames().forEachRemaining(order::add);
        assertEquals(keys, order);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void importRestoresFullRankWithPrunedTripletsZero() throws IOException {
        PeftAdapter back = PeftImporter.read(folder);
        assertEquals(settings, back.settings());
        assertEquals(
                List.of(Q0, V0, Q10),
                back.adapters().stream().map(AdapterWeights::module).toList());
        assertEquals(Set.of(Q0, V0, Q10), back.rankPattern().keySet());
        assertArrayEquals(pattern.get(Q0), back.rankPattern().get(Q0));
        assertArrayEquals(pattern.get(V0), back.rankPattern().get(V0));
        assertArrayEquals(new boolean[] {true, true, true, true}, back.rankPattern().get(Q10));
        for (AdapterWeights got : back.adapters()) {
            AdapterWeights want =
                    asFloat32(original(got.module()).masked(back.rankPattern().get(got.module())));
            assertEquals(want, got, got.module());
        }
    }

    @Test
    void importGivesTheSameDeltaWAsTheMaskedOriginal() throws IOException {
        PeftAdapter back = PeftImporter.read(folder);
        for (AdapterWeights got : back.adapters()) {
            AdapterWeights masked =
                    original(got.module()).masked(back.rankPattern().get(got.module()));
            // Exactly equal to the masked original rounded to float32, as stored ...
            assertArrayEquals(asFloat32(masked).deltaW(), got.deltaW(), got.module());
            // ... and within float32 rounding of the masked original itself.
            double[] want = masked.deltaW();
            double[] have = got.deltaW();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], have[i], 1e-7, got.module() + " element " + i);
            }
        }
        double[] pruned = back.adapters().get(1).deltaW(); // V0, all triplets pruned
        assertArrayEquals(new double[pruned.length], pruned);
    }

    @Test
    void exportOfTheImportWritesIdenticalFiles() throws IOException {
        PeftAdapter back = PeftImporter.read(folder);
        Path again = tmp.resolve("again");
        PeftExporter.export(again, back.adapters(), back.rankPattern(), back.settings());
        try (SafetensorsReader a =
                        SafetensorsReader.open(folder.resolve("adapter_model.safetensors"));
                SafetensorsReader b =
                        SafetensorsReader.open(again.resolve("adapter_model.safetensors"))) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                assertEquals(a.read(name), b.read(name), name);
            }
        }
    }

    private static AdapterWeights asFloat32(AdapterWeights w) {
        return new AdapterWeights(
                w.module(), w.dIn(), w.dOut(), round(w.p()), round(w.lambda()), round(w.q()));
    }

    private static double[] round(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    // ---- import errors ----

    @Test
    void missingFolderOrFilesAreNamed() throws IOException {
        assertThrows(NoSuchFileException.class, () -> PeftImporter.read(tmp.resolve("nowhere")));
        Files.delete(folder.resolve("adapter_model.safetensors"));
        NoSuchFileException e =
                assertThrows(NoSuchFileException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().contains("adapter_model.safetensors"), e.getMessage());
        Files.delete(folder.resolve("adapter_config.json"));
        e = assertThrows(NoSuchFileException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().contains("adapter_config.json"), e.getMessage());
    }

    @Test
    void wrongPeftTypeIsRefused() throws IOException {
        editConfig(c -> c.put("peft_type", "LORA"));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("adapter_config.json")
                        && e.getMessage().contains("peft_type"),
                e.getMessage());
    }

    @Test
    void missingConfigFieldIsNamed() throws IOException {
        editConfig(c -> c.remove("init_r"));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().contains("'init_r'"), e.getMessage());
    }

    @Test
    void shapeInconsistentWithPatternIsNamed() throws IOException {
        // Q0 now claims 3 surviving triplets, but the file holds 2.
        editConfig(
                c ->
                        ((com.fasterxml.jackson.databind.node.ArrayNode)
                                        c.get("rank_pattern").get("bert." + Q0 + ".lora_E"))
                                .set(1, true));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("adapter_model.safetensors")
                        && e.getMessage().contains("base_model.model.bert." + Q0 + ".lora_A")
                        && e.getMessage().contains("[2, 6]"),
                e.getMessage());
    }

    @Test
    void patternOfWrongLengthIsNamed() throws IOException {
        editConfig(
                c ->
                        ((com.fasterxml.jackson.databind.node.ArrayNode)
                                        c.get("rank_pattern").get("bert." + V0 + ".lora_E"))
                                .add(true));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains(V0 + ".lora_E") && e.getMessage().contains("init_r = 4"),
                e.getMessage());
    }

    @Test
    void patternKeyWithoutTensorsIsNamed() throws IOException {
        editConfig(
                c ->
                        ((ObjectNode) c.get("rank_pattern"))
                                .putArray("bert.encoder.layer.3.output.dense.lora_E")
                                .add(true)
                                .add(true)
                                .add(false)
                                .add(false));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().contains("encoder.layer.3.output.dense.lora_E"), e.getMessage());
    }

    @Test
    void unknownTensorKeyIsNamed() throws IOException {
        rewriteWeights(
                tensors ->
                        tensors.add(
                                new NamedArray(
                                        "base_model.model.pre_classifier.weight",
                                        new long[] {2, 6},
                                        new float[12])));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("'base_model.model.pre_classifier.weight'"),
                e.getMessage());
    }

    @Test
    void missingPartIsNamed() throws IOException {
        rewriteWeights(
                tensors ->
                        tensors.removeIf(
                                t -> t.name().equals("base_model.model.bert." + Q10 + ".lora_E")));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("'base_model.model.bert." + Q10 + ".lora_E'"),
                e.getMessage());
    }

    @Test
    void anAdapterSavedFromABertModelWithoutTheBertPrefixReadsTheSame() throws IOException {
        PeftAdapter seqCls = PeftImporter.read(folder);
        editConfig(
                c -> {
                    ObjectNode renamed = new ObjectMapper().createObjectNode();
                    c.get("rank_pattern")
                            .properties()
                            .forEach(
                                    e ->
                                            renamed.set(
                                                    e.getKey().substring("bert.".length()),
                                                    e.getValue()));
                    c.set("rank_pattern", renamed);
                });
        rewriteWeights(
                tensors ->
                        tensors.replaceAll(
                                t ->
                                        new NamedArray(
                                                t.name()
                                                        .replace(
                                                                "base_model.model.bert.",
                                                                "base_model.model."),
                                                t.shape(),
                                                t.data())));
        PeftAdapter bertModel = PeftImporter.read(folder);
        assertEquals(seqCls.rankPattern().keySet(), bertModel.rankPattern().keySet());
        assertEquals(seqCls.adapters(), bertModel.adapters());
    }

    private void editConfig(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = folder.resolve("adapter_config.json");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode config = (ObjectNode) mapper.readTree(file.toFile());
        edit.accept(config);
        Files.writeString(file, mapper.writeValueAsString(config));
        // Edited as by another tool, which does not keep Rankwise's digests.
        Files.deleteIfExists(folder.resolve(AdapterDigest.FILE));
    }

    private void rewriteWeights(java.util.function.Consumer<List<NamedArray>> edit)
            throws IOException {
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

    // ---- the digest of an exported folder ----

    @Test
    void theDigestFileIsSha256sumsFormatForBothFiles() throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(AdapterDigest.FILE));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("[0-9a-f]{64}  adapter_config\\.json"), lines.get(0));
        assertTrue(lines.get(1).matches("[0-9a-f]{64}  adapter_model\\.safetensors"), lines.get(1));
    }

    @Test
    void aFlippedBitInAnExportedFileIsRefusedByItsDigest() throws IOException {
        Path weights = folder.resolve("adapter_model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        // The lowest mantissa bit of the last float: the header and the shapes still read.
        bytes[bytes.length - 4] ^= 1;
        Files.write(weights, bytes);
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().startsWith(weights + ": corrupted: its SHA-256 is ")
                        && e.getMessage().contains("digest.sha256 recorded "),
                e.getMessage());
        // Without the digest, the file is read as any other PEFT folder (bounds-checked only).
        Files.delete(folder.resolve(AdapterDigest.FILE));
        PeftImporter.read(folder);
    }

    @Test
    void anEditedConfigIsRefusedByTheDigest() throws IOException {
        Path config = folder.resolve("adapter_config.json");
        // One more newline: still valid JSON, but not the file that was exported.
        Files.writeString(config, Files.readString(config) + "\n");
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().startsWith(config + ": corrupted:"), e.getMessage());
    }

    // ---- the classification head (modules_to_save) ----

    /** A classifier of 3 outputs on a hidden width of 5, weight [3, 5] as nn.Linear holds it. */
    private static HeadWeights head() {
        Random random = new Random(7);
        double[] weight = new double[3 * 5];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = random.nextGaussian();
        }
        return HeadWeights.classifier(3, 5, weight, new double[] {0.5, -0.25, 0.125});
    }

    private Path exportWithHead() throws IOException {
        Path out = tmp.resolve("with-head");
        PeftExporter.export(
                out,
                io.rankwise.models.family.ModelFamily.BERT,
                adapters,
                java.util.Optional.of(head()),
                pattern,
                settings);
        return out;
    }

    @Test
    void everyKeyIsAnAdaLoraPartOrTheClassifierWithPeftsShapes() throws IOException {
        java.util.regex.Pattern part =
                java.util.regex.Pattern.compile("base_model\\.model\\.bert\\.(.+)\\.lora_([ABE])");
        java.util.regex.Pattern classifier =
                java.util.regex.Pattern.compile("base_model\\.model\\.classifier\\.(weight|bias)");
        Map<String, boolean[]> full = PeftImporter.read(folder).rankPattern();
        try (SafetensorsReader reader =
                SafetensorsReader.open(exportWithHead().resolve("adapter_model.safetensors"))) {
            int heads = 0;
            for (SafetensorsEntry e : reader.entries()) {
                java.util.regex.Matcher m = part.matcher(e.name());
                if (m.matches()) {
                    AdapterWeights w = original(m.group(1));
                    int r = PeftExporter.keptIndices(full.get(m.group(1))).length;
                    long[] want =
                            switch (m.group(2)) {
                                case "A" -> new long[] {r, w.dIn()};
                                case "B" -> new long[] {w.dOut(), r};
                                default -> new long[] {r, 1};
                            };
                    assertArrayEquals(want, e.shape(), e.name());
                } else {
                    assertTrue(
                            classifier.matcher(e.name()).matches(), "unexpected key " + e.name());
                    heads++;
                }
            }
            assertEquals(2, heads);
            // torch.nn.Linear's layout: weight [out, in], bias [out].
            assertArrayEquals(
                    new long[] {3, 5},
                    reader.entry("base_model.model.classifier.weight").orElseThrow().shape());
            assertArrayEquals(
                    new long[] {3},
                    reader.entry("base_model.model.classifier.bias").orElseThrow().shape());
            // Saved as given, [out, in] row-major, in float32.
            float[] saved = reader.read("base_model.model.classifier.weight").data();
            double[] weight = head().values("classifier.weight");
            for (int i = 0; i < weight.length; i++) {
                assertEquals((float) weight[i], saved[i], "weight element " + i);
            }
        }
    }

    @Test
    void configListsTheClassifierInModulesToSaveOnlyWhenExported() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(
                "[\"classifier\"]",
                mapper.readTree(exportWithHead().resolve("adapter_config.json").toFile())
                        .get("modules_to_save")
                        .toString());
        assertTrue(
                mapper.readTree(folder.resolve("adapter_config.json").toFile())
                        .get("modules_to_save")
                        .isNull());
    }

    @Test
    void importReadsTheHeadBackAsFloat32() throws IOException {
        PeftAdapter back = PeftImporter.read(exportWithHead());
        HeadWeights want = head();
        HeadWeights got = back.head().orElseThrow();
        assertEquals(
                HeadWeights.classifier(
                        3,
                        5,
                        round(want.values("classifier.weight")),
                        round(want.values("classifier.bias"))),
                got);
        assertTrue(PeftImporter.read(folder).head().isEmpty(), "no head exported, none imported");
        // The adapters are unchanged by the head beside them.
        assertEquals(PeftImporter.read(folder).adapters(), back.adapters());
    }

    @Test
    void headWithOneTensorMissingIsNamed() throws IOException {
        folder = exportWithHead();
        rewriteWeights(
                tensors ->
                        tensors.removeIf(t -> t.name().equals("base_model.model.classifier.bias")));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(e.getMessage().contains("'base_model.model.classifier.bias'"), e.getMessage());
    }

    @Test
    void headBiasOfTheWrongLengthIsNamed() throws IOException {
        folder = exportWithHead();
        rewriteWeights(
                tensors -> {
                    tensors.removeIf(t -> t.name().equals("base_model.model.classifier.bias"));
                    tensors.add(
                            new NamedArray(
                                    "base_model.model.classifier.bias",
                                    new long[] {4},
                                    new float[4]));
                });
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("'base_model.model.classifier.bias'")
                        && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void classifierListedInModulesToSaveButAbsentIsNamed() throws IOException {
        editConfig(c -> c.putArray("modules_to_save").add("classifier"));
        WeightFormatException e =
                assertThrows(WeightFormatException.class, () -> PeftImporter.read(folder));
        assertTrue(
                e.getMessage().contains("modules_to_save")
                        && e.getMessage().contains("classifier.weight"),
                e.getMessage());
    }

    // ---- export checks ----

    @Test
    void exportRefusesInconsistentInput() {
        Path out = tmp.resolve("bad");
        AdapterWeights small =
                new AdapterWeights(Q0, 2, 2, new double[4], new double[2], new double[4]);
        assertThrows(
                IllegalArgumentException.class,
                () -> PeftExporter.export(out, List.of(small), Map.of(), settings),
                "rank 2 but init_r 4");
        assertThrows(
                IllegalArgumentException.class,
                () -> PeftExporter.export(out, adapters, Map.of(Q0, new boolean[3]), settings),
                "pattern length");
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        PeftExporter.export(
                                out,
                                adapters,
                                Map.of("encoder.layer.5.x", new boolean[4]),
                                settings),
                "pattern names no adapter");
        AdapterWeights key =
                new AdapterWeights(
                        "encoder.layer.0.attention.self.key",
                        2,
                        2,
                        new double[8],
                        new double[4],
                        new double[8]);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PeftExporter.export(out, List.of(key), Map.of(), settings));
        assertTrue(e.getMessage().contains("target_modules"), e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @Test
    void emptyPatternIsWrittenAsNullAndImportsAtFullRank() throws IOException {
        Path out = tmp.resolve("unpruned");
        PeftExporter.export(out, adapters, Map.of(), settings);
        assertTrue(
                new ObjectMapper()
                        .readTree(out.resolve("adapter_config.json").toFile())
                        .get("rank_pattern")
                        .isNull());
        PeftAdapter back = PeftImporter.read(out);
        for (AdapterWeights got : back.adapters()) {
            assertEquals(asFloat32(original(got.module())), got);
        }
    }

    @Test
    void settingsFollowPeftsScheduleCheck() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new AdaLoraSettings(
                                        4,
                                        2,
                                        16,
                                        80,
                                        20,
                                        1,
                                        100,
                                        0.5,
                                        0.85,
                                        0.85,
                                        List.of("query"),
                                        null,
                                        null,
                                        0));
        assertTrue(e.getMessage().contains("tinit"), e.getMessage());
    }

    @Test
    void moduleOrderIsNumericWithinSegments() {
        List<String> modules =
                new ArrayList<>(List.of(Q10, V0, "encoder.layer.2.attention.self.query", Q0));
        modules.sort(PeftNames.MODULE_ORDER);
        assertEquals(List.of(Q0, V0, "encoder.layer.2.attention.self.query", Q10), modules);
    }

    @Test
    void tensorKeyParsing() {
        assertEquals(
                new PeftNames.TensorKey(Q0, "lora_B"),
                PeftNames.parseTensorKey("base_model.model." + Q0 + ".lora_B").orElseThrow());
        assertTrue(PeftNames.parseTensorKey("base_model.model." + Q0 + ".lora_A.weight").isEmpty());
        assertTrue(PeftNames.parseTensorKey(Q0 + ".lora_A").isEmpty());
    }
}
