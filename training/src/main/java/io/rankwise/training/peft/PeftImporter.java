package io.rankwise.training.peft;

import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a PEFT AdaLoRA adapter folder ({@code adapter_config.json} and {@code
 * adapter_model.safetensors}, as {@link PeftExporter} or Python PEFT writes it) back into full-rank
 * adapters: the inverse of PEFT's pruning on save, with pruned triplets restored as zeros, which is
 * what a pruned triplet contributes to ΔW. A classification head saved under {@code
 * modules_to_save} (the {@code classifier}, and a pooler) is read too, when present. A plain LoRA
 * folder ({@code peft_type} LORA, {@code lora_A.weight} and {@code lora_B.weight} per module) is
 * read by {@link #readLora}, with the same checks and bounds.
 *
 * <p>Errors name the file and the key: a missing file, a {@code peft_type} other than ADALORA, a
 * tensor that is neither an AdaLoRA part nor the classifier, a missing part, a shape that does not
 * fit the rank pattern, a rank pattern entry without tensors, a classifier with only one of its two
 * tensors or shapes that do not fit each other, a {@code classifier} listed in {@code
 * modules_to_save} without tensors, a file of a Rankwise export that differs from the SHA-256
 * recorded beside it ({@link AdapterDigest}).
 */
public final class PeftImporter {

    /**
     * The most elements the full-rank adapters of one file may have in all (P and Q of every
     * module, as doubles: 1 GiB), when no model bounds them: far above BERT-large adapted
     * everywhere.
     */
    static final long MAX_FULL_RANK_ELEMENTS = 1L << 27;

    /** The widest layer an adapter is read for when no model bounds it. */
    static final int MAX_WIDTH = 1 << 17;

    /**
     * What the model the adapter is for expects: its init_r (LoRA's r) and, per adapted module, the
     * layer's [d_out, d_in]. The importer checks the file's shapes against it before it allocates.
     *
     * @param initR the model's adapter.init_r
     * @param modules module → {d_out, d_in}
     */
    public record ModelShape(int initR, Map<String, long[]> modules) {
        public ModelShape {
            modules = Map.copyOf(modules);
        }
    }

    private PeftImporter() {}

    /**
     * Reads the adapter in {@code folder}, after verifying the files its {@value
     * AdapterDigest#FILE} lists, if it has one ({@link AdapterDigest}), its sizes bounded by {@link
     * #MAX_WIDTH} and {@link #MAX_FULL_RANK_ELEMENTS}; {@link #read(Path, ModelShape)} checks them
     * against a model.
     */
    public static PeftAdapter read(Path folder) throws IOException {
        return read(folder, null);
    }

    /**
     * Reads the adapter in {@code folder}, checking init_r and each module's shapes against {@code
     * model} (when not null) before anything is allocated.
     */
    public static PeftAdapter read(Path folder, ModelShape model) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such adapter folder");
        }
        // A folder Rankwise exported carries the digests of its files.
        AdapterDigest.verify(folder);
        Path configFile = folder.resolve(PeftNames.CONFIG_FILE);
        Path weightsFile = folder.resolve(PeftNames.WEIGHTS_FILE);
        PeftAdapterConfig config = PeftAdapterConfig.read(configFile);
        requireWeightsFile(folder, weightsFile);
        int initR = config.settings().initR();
        if (model != null && initR != model.initR()) {
            throw new WeightFormatException(
                    configFile,
                    "init_r is "
                            + initR
                            + "; the model has adapter.init_r "
                            + model.initR()
                            + " (accepted: the same; --set adapter.init_r="
                            + initR
                            + ")");
        }
        Map<String, boolean[]> filePattern = config.rankPattern();
        Map<String, AdapterWeights> byModule = new TreeMap<>(PeftNames.MODULE_ORDER);
        Optional<HeadWeights> head;
        try (SafetensorsReader reader = SafetensorsReader.open(weightsFile)) {
            long[] budget = {MAX_FULL_RANK_ELEMENTS};
            for (String module : modulesOf(reader, config.modulesToSave())) {
                boolean[] keep =
                        filePattern.getOrDefault(
                                PeftNames.rankPatternKey(module), PeftExporter.allTrue(initR));
                byModule.put(module, readModule(reader, module, keep, model, budget));
            }
            head = readHead(reader, config.modulesToSave());
        }
        requireHeadIfListed(head, config.modulesToSave(), weightsFile);
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        for (String module : byModule.keySet()) {
            String key = PeftNames.rankPatternKey(module);
            pattern.put(key, filePattern.getOrDefault(key, PeftExporter.allTrue(initR)).clone());
        }
        for (String key : filePattern.keySet()) {
            if (!pattern.containsKey(key)) {
                throw new WeightFormatException(
                        configFile,
                        "rank_pattern key '"
                                + key
                                + "' has no tensors in "
                                + weightsFile.getFileName()
                                + " (expected "
                                + PeftNames.tensorKey(
                                        config.family(),
                                        PeftNames.moduleOfRankPatternKey(key).orElseThrow(),
                                        PeftNames.LORA_A)
                                + " and the others)");
            }
        }
        return new PeftAdapter(
                config.settings(),
                new ArrayList<>(byModule.values()),
                PeftNames.byModule(pattern),
                head);
    }

    /**
     * Reads the plain LoRA adapter in {@code folder}, after verifying the files its {@value
     * AdapterDigest#FILE} lists, if it has one, its sizes bounded by {@link #MAX_WIDTH} and {@link
     * #MAX_FULL_RANK_ELEMENTS}; {@link #readLora(Path, ModelShape)} checks them against a model.
     */
    public static PeftLoraAdapter readLora(Path folder) throws IOException {
        return readLora(folder, null);
    }

    /**
     * Reads the plain LoRA adapter in {@code folder} ({@code peft_type} LORA, see {@link
     * LoraAdapterConfig}), checking r and each module's shapes against {@code model} (when not
     * null; its {@code initR} is the model's r) before anything is allocated. Every tensor must be
     * a module's {@code lora_A.weight} [r, d_in] or {@code lora_B.weight} [d_out, r], each with the
     * other, or belong to a {@code modules_to_save} module.
     */
    public static PeftLoraAdapter readLora(Path folder, ModelShape model) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such adapter folder");
        }
        AdapterDigest.verify(folder);
        Path configFile = folder.resolve(PeftNames.CONFIG_FILE);
        Path weightsFile = folder.resolve(PeftNames.WEIGHTS_FILE);
        LoraAdapterConfig config = LoraAdapterConfig.read(configFile);
        requireWeightsFile(folder, weightsFile);
        int r = config.settings().r();
        if (model != null && r != model.initR()) {
            throw new WeightFormatException(
                    configFile,
                    "r is "
                            + r
                            + "; the model has adapter.init_r "
                            + model.initR()
                            + " (accepted: the same; --set adapter.init_r="
                            + r
                            + ")");
        }
        Map<String, LoraWeights> byModule = new TreeMap<>(PeftNames.MODULE_ORDER);
        Optional<HeadWeights> head;
        try (SafetensorsReader reader = SafetensorsReader.open(weightsFile)) {
            long[] budget = {MAX_FULL_RANK_ELEMENTS};
            for (String module : loraModulesOf(reader, config.modulesToSave())) {
                byModule.put(module, readLoraModule(reader, module, r, model, budget));
            }
            head = readHead(reader, config.modulesToSave());
        }
        requireHeadIfListed(head, config.modulesToSave(), weightsFile);
        return new PeftLoraAdapter(config.settings(), new ArrayList<>(byModule.values()), head);
    }

    private static void requireWeightsFile(Path folder, Path weightsFile)
            throws NoSuchFileException {
        if (!Files.isRegularFile(weightsFile)) {
            boolean pickle = Files.exists(folder.resolve("adapter_model.bin"));
            throw new NoSuchFileException(
                    weightsFile.toString(),
                    null,
                    "no "
                            + PeftNames.WEIGHTS_FILE
                            + " in the adapter folder"
                            + (pickle
                                    ? " (adapter_model.bin, PyTorch's pickle format, is not read;"
                                            + " re-save with safe_serialization=True)"
                                    : ""));
        }
    }

    private static void requireHeadIfListed(
            Optional<HeadWeights> head, List<String> modulesToSave, Path weightsFile)
            throws WeightFormatException {
        if (head.isEmpty() && !modulesToSave.isEmpty()) {
            throw new WeightFormatException(
                    weightsFile,
                    "holds no tensors of "
                            + modulesToSave
                            + ", but "
                            + PeftNames.CONFIG_FILE
                            + " lists them in modules_to_save (expected e.g. '"
                            + PeftNames.KEY_PREFIX
                            + PeftNames.HEAD_MODULE
                            + ".weight')");
        }
    }

    /**
     * The modules of a LoRA file, in header order; every key must be a LoRA part or belong to a
     * {@code modules_to_save} module.
     */
    private static List<String> loraModulesOf(SafetensorsReader reader, List<String> modulesToSave)
            throws WeightFormatException {
        Map<String, Boolean> modules = new LinkedHashMap<>();
        for (String key : reader.names()) {
            if (isHeadKey(key, modulesToSave)) {
                continue;
            }
            PeftNames.TensorKey parsed =
                    PeftNames.parseLoraTensorKey(key)
                            .orElseThrow(
                                    () ->
                                            new WeightFormatException(
                                                    reader.file(),
                                                    "unexpected tensor '"
                                                            + key
                                                            + "': a LoRA adapter holds only "
                                                            + PeftNames.KEY_PREFIX
                                                            + "<module>.{lora_A,lora_B}.weight, and"
                                                            + " the tensors of its modules_to_save "
                                                            + modulesToSave
                                                            + (PeftNames.parseTensorKey(key)
                                                                            .isPresent()
                                                                    ? " (no .weight suffix: is this"
                                                                            + " an AdaLoRA adapter?)"
                                                                    : "")));
            modules.put(parsed.module(), true);
        }
        if (modules.isEmpty()) {
            throw new WeightFormatException(reader.file(), "holds no adapter tensors");
        }
        return new ArrayList<>(modules.keySet());
    }

    /**
     * Reads one module's A and B, with their shapes checked against r, each other and the model.
     */
    private static LoraWeights readLoraModule(
            SafetensorsReader reader, String module, int r, ModelShape model, long[] budget)
            throws IOException {
        String aKey = loraKeyIn(reader, module, PeftNames.LORA_A);
        String bKey = loraKeyIn(reader, module, PeftNames.LORA_B);
        long[] aShape = loraShapeOf(reader, module, aKey);
        long[] bShape = loraShapeOf(reader, module, bKey);
        String because = " (r is " + r + " in " + PeftNames.CONFIG_FILE + ")";
        if (aShape.length != 2 || aShape[0] != r || aShape[1] < 1) {
            throw new WeightFormatException(
                    reader.file(),
                    "tensor '"
                            + aKey
                            + "' has shape "
                            + Arrays.toString(aShape)
                            + ", expected ["
                            + r
                            + ", d_in]"
                            + because);
        }
        if (bShape.length != 2 || bShape[1] != r || bShape[0] < 1) {
            throw new WeightFormatException(
                    reader.file(),
                    "tensor '"
                            + bKey
                            + "' has shape "
                            + Arrays.toString(bShape)
                            + ", expected [d_out, "
                            + r
                            + "]"
                            + because);
        }
        String widths =
                "'"
                        + aKey
                        + "' and '"
                        + bKey
                        + "' are for a "
                        + bShape[0]
                        + "×"
                        + aShape[1]
                        + " layer";
        if (model != null) {
            long[] expected = model.modules().get(module);
            if (expected == null) {
                throw new WeightFormatException(
                        reader.file(),
                        "'" + aKey + "' adapts " + module + ", which the model does not adapt");
            }
            if (bShape[0] != expected[0] || aShape[1] != expected[1]) {
                throw new WeightFormatException(
                        reader.file(),
                        widths
                                + "; the model's "
                                + module
                                + " is "
                                + expected[0]
                                + "×"
                                + expected[1]
                                + " (another base model?)");
            }
        } else if (aShape[1] > MAX_WIDTH || bShape[0] > MAX_WIDTH) {
            throw new WeightFormatException(
                    reader.file(),
                    widths + ", wider than the " + MAX_WIDTH + " of any BERT-family layer");
        }
        // The shapes were checked against r, so the file holds these bytes; the bound keeps the
        // doubles they become in proportion, as for AdaLoRA.
        long elements = (aShape[1] + bShape[0]) * r;
        if (elements > budget[0]) {
            throw new WeightFormatException(
                    reader.file(),
                    widths
                            + " at r "
                            + r
                            + ": the adapters would exceed "
                            + MAX_FULL_RANK_ELEMENTS
                            + " elements");
        }
        budget[0] -= elements;
        return new LoraWeights(
                module,
                (int) aShape[1],
                (int) bShape[0],
                toDoubles(reader.read(aKey).data()),
                toDoubles(reader.read(bKey).data()));
    }

    private static long[] loraShapeOf(SafetensorsReader reader, String module, String key)
            throws WeightFormatException {
        return reader.entry(key)
                .map(SafetensorsEntry::shape)
                .orElseThrow(
                        () ->
                                new WeightFormatException(
                                        reader.file(),
                                        "module " + module + " lacks the tensor '" + key + "'"));
    }

    /**
     * The file's key of a LoRA module's part, as {@link #keyIn} finds an AdaLoRA one: under the
     * SEQ_CLS path of any family, or bare.
     */
    private static String loraKeyIn(SafetensorsReader reader, String module, String part) {
        for (ModelFamily family : ModelFamily.values()) {
            String seqCls = PeftNames.loraTensorKey(family, module, part);
            if (reader.entry(seqCls).isPresent()) {
                return seqCls;
            }
        }
        String bare = PeftNames.KEY_PREFIX + module + "." + part + "." + PeftNames.WEIGHT;
        return reader.entry(bare).isPresent()
                ? bare
                : PeftNames.loraTensorKey(ModelFamily.BERT, module, part);
    }

    /**
     * The modules of the file, in header order; every key must be an AdaLoRA part or the
     * classifier.
     */
    private static List<String> modulesOf(SafetensorsReader reader, List<String> modulesToSave)
            throws WeightFormatException {
        Map<String, Boolean> modules = new LinkedHashMap<>();
        for (String key : reader.names()) {
            if (isHeadKey(key, modulesToSave)) {
                continue;
            }
            PeftNames.TensorKey parsed =
                    PeftNames.parseTensorKey(key)
                            .orElseThrow(
                                    () ->
                                            new WeightFormatException(
                                                    reader.file(),
                                                    "unexpected tensor '"
                                                            + key
                                                            + "': an AdaLoRA adapter holds only "
                                                            + PeftNames.KEY_PREFIX
                                                            + "<module>.{lora_A,lora_B,lora_E}, and the"
                                                            + " tensors of its modules_to_save "
                                                            + modulesToSave
                                                            + (PeftNames.parseLoraTensorKey(key)
                                                                            .isPresent()
                                                                    ? " (a .weight suffix: is this"
                                                                            + " a LoRA adapter?)"
                                                                    : "")));
            modules.put(parsed.module(), true);
        }
        if (modules.isEmpty()) {
            throw new WeightFormatException(reader.file(), "holds no adapter tensors");
        }
        return new ArrayList<>(modules.keySet());
    }

    /**
     * Reads one module's three tensors, checks their shapes against the pattern and scatters them
     * to full rank.
     */
    private static AdapterWeights readModule(
            SafetensorsReader reader,
            String module,
            boolean[] keep,
            ModelShape model,
            long[] budget)
            throws IOException {
        int[] kept = PeftExporter.keptIndices(keep);
        int k = kept.length;
        long[] aShape = shapeOf(reader, module, PeftNames.LORA_A);
        long[] bShape = shapeOf(reader, module, PeftNames.LORA_B);
        long[] eShape = shapeOf(reader, module, PeftNames.LORA_E);
        String because =
                " (the rank pattern "
                        + PeftNames.rankPatternKey(module)
                        + " keeps "
                        + k
                        + " of "
                        + keep.length
                        + " triplets)";
        requireShape(
                reader,
                module,
                PeftNames.LORA_A,
                aShape,
                aShape.length == 2 && aShape[0] == k && aShape[1] > 0,
                "[" + k + ", d_in]" + because);
        requireShape(
                reader,
                module,
                PeftNames.LORA_B,
                bShape,
                bShape.length == 2 && bShape[1] == k && bShape[0] > 0,
                "[d_out, " + k + "]" + because);
        requireShape(
                reader,
                module,
                PeftNames.LORA_E,
                eShape,
                eShape.length == 2 && eShape[0] == k && eShape[1] == 1,
                "[" + k + ", 1]" + because);
        // The sizes against the model (or sane bounds) before the full-rank arrays are allocated:
        // an empty lora_A [0, 300000000] costs no bytes in the file.
        int r = keep.length;
        String widths =
                "'"
                        + keyIn(reader, module, PeftNames.LORA_A)
                        + "' and '"
                        + keyIn(reader, module, PeftNames.LORA_B)
                        + "' are for a "
                        + bShape[0]
                        + "×"
                        + aShape[1]
                        + " layer";
        if (model != null) {
            long[] expected = model.modules().get(module);
            if (expected == null) {
                throw new WeightFormatException(
                        reader.file(),
                        "'"
                                + keyIn(reader, module, PeftNames.LORA_A)
                                + "' adapts "
                                + module
                                + ", which the model does not adapt");
            }
            if (bShape[0] != expected[0] || aShape[1] != expected[1]) {
                throw new WeightFormatException(
                        reader.file(),
                        widths
                                + "; the model's "
                                + module
                                + " is "
                                + expected[0]
                                + "×"
                                + expected[1]
                                + " (another base model?)");
            }
        } else if (aShape[1] > MAX_WIDTH || bShape[0] > MAX_WIDTH) {
            throw new WeightFormatException(
                    reader.file(),
                    widths + ", wider than the " + MAX_WIDTH + " of any BERT-family layer");
        }
        long elements = (aShape[1] + bShape[0]) * r;
        if (elements > budget[0]) {
            throw new WeightFormatException(
                    reader.file(),
                    widths
                            + " at init_r "
                            + r
                            + ": the full-rank adapters would exceed "
                            + MAX_FULL_RANK_ELEMENTS
                            + " elements");
        }
        budget[0] -= elements;
        int dIn = (int) aShape[1];
        int dOut = (int) bShape[0];
        float[] a = reader.read(keyIn(reader, module, PeftNames.LORA_A)).data();
        float[] b = reader.read(keyIn(reader, module, PeftNames.LORA_B)).data();
        float[] e = reader.read(keyIn(reader, module, PeftNames.LORA_E)).data();
        double[] p = new double[dOut * r];
        double[] lambda = new double[r];
        double[] q = new double[r * dIn];
        for (int n = 0; n < k; n++) {
            int i = kept[n];
            for (int j = 0; j < dIn; j++) {
                q[i * dIn + j] = a[n * dIn + j];
            }
            for (int o = 0; o < dOut; o++) {
                p[o * r + i] = b[o * k + n];
            }
            lambda[i] = e[n];
        }
        return new AdapterWeights(module, dIn, dOut, p, lambda, q);
    }

    /** The most elements a head may hold: a two-layer head on a 4096-wide encoder, and more. */
    static final long MAX_HEAD_ELEMENTS = 1L << 26;

    /**
     * Whether {@code key} belongs to a module of {@code modulesToSave}, as PEFT matches them: the
     * module path ends with the name, so {@code classifier} matches {@code classifier.out_proj} and
     * {@code pooler} matches {@code bert.pooler.dense}.
     */
    static boolean isHeadKey(String key, List<String> modulesToSave) {
        if (!key.startsWith(PeftNames.KEY_PREFIX)) {
            return false;
        }
        String path = "." + key.substring(PeftNames.KEY_PREFIX.length());
        for (String module : modulesToSave) {
            if (path.contains("." + module + ".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The classification head, if the file holds it: every tensor of a {@code modules_to_save}
     * module, each weight [out, in] with its bias [out], under Hugging Face's keys.
     */
    private static Optional<HeadWeights> readHead(
            SafetensorsReader reader, List<String> modulesToSave) throws IOException {
        List<String> keys =
                reader.names().stream().filter(k -> isHeadKey(k, modulesToSave)).sorted().toList();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        long elements = 0;
        List<HeadWeights.Tensor> tensors = new ArrayList<>();
        for (String key : keys) {
            long[] shape = reader.entry(key).orElseThrow().shape();
            String module = key.substring(0, key.lastIndexOf('.'));
            if (key.endsWith(".weight")) {
                if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
                    throw new WeightFormatException(
                            reader.file(),
                            "tensor '"
                                    + key
                                    + "' has shape "
                                    + Arrays.toString(shape)
                                    + ", expected [out, in] (torch.nn.Linear's layout)");
                }
                Optional<SafetensorsEntry> b = reader.entry(module + ".bias");
                if (b.isEmpty()) {
                    throw new WeightFormatException(
                            reader.file(),
                            "holds '"
                                    + key
                                    + "' but lacks '"
                                    + module
                                    + ".bias'; a head layer needs both");
                }
                if (b.get().shape().length != 1 || b.get().shape()[0] != shape[0]) {
                    throw new WeightFormatException(
                            reader.file(),
                            "tensor '"
                                    + module
                                    + ".bias' has shape "
                                    + Arrays.toString(b.get().shape())
                                    + ", expected ["
                                    + shape[0]
                                    + "] (one per output of '"
                                    + key
                                    + "')");
                }
            } else if (key.endsWith(".bias")) {
                if (reader.entry(module + ".weight").isEmpty()) {
                    throw new WeightFormatException(
                            reader.file(),
                            "holds '"
                                    + key
                                    + "' but lacks '"
                                    + module
                                    + ".weight'; a head layer needs both");
                }
            } else {
                throw new WeightFormatException(
                        reader.file(),
                        "unexpected tensor '"
                                + key
                                + "' in a modules_to_save module: a head layer holds .weight and"
                                + " .bias");
            }
            elements += NamedArray.elementCount(shape);
            if (elements > MAX_HEAD_ELEMENTS) {
                throw new WeightFormatException(
                        reader.file(),
                        "the head tensors hold more than "
                                + MAX_HEAD_ELEMENTS
                                + " elements, more than any classification head");
            }
            tensors.add(
                    new HeadWeights.Tensor(
                            key.substring(PeftNames.KEY_PREFIX.length()),
                            shape,
                            toDoubles(reader.read(key).data())));
        }
        // Each layer's weight before its bias, as the model lists them.
        tensors.sort(
                java.util.Comparator.comparing((HeadWeights.Tensor t) -> moduleOf(t.key()))
                        .thenComparing(t -> t.key().endsWith(".bias")));
        return Optional.of(new HeadWeights(modulesToSave, tensors));
    }

    private static String moduleOf(String key) {
        return key.substring(0, key.lastIndexOf('.'));
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static long[] shapeOf(SafetensorsReader reader, String module, String part)
            throws WeightFormatException {
        String key = keyIn(reader, module, part);
        return reader.entry(key)
                .map(SafetensorsEntry::shape)
                .orElseThrow(
                        () ->
                                new WeightFormatException(
                                        reader.file(),
                                        "module " + module + " lacks the tensor '" + key + "'"));
    }

    private static void requireShape(
            SafetensorsReader reader,
            String module,
            String part,
            long[] shape,
            boolean ok,
            String expected)
            throws WeightFormatException {
        if (!ok) {
            throw new WeightFormatException(
                    reader.file(),
                    "tensor '"
                            + keyIn(reader, module, part)
                            + "' has shape "
                            + Arrays.toString(shape)
                            + ", expected "
                            + expected);
        }
    }

    /**
     * The file's key of a module's part: the SEQ_CLS path ({@code base_model.model.bert.<module>})
     * as PEFT saves a classification model, or the bare one of an adapter saved from a {@code
     * BertModel}; the first when neither is there, to name it in the error.
     */
    private static String keyIn(SafetensorsReader reader, String module, String part) {
        for (ModelFamily family : ModelFamily.values()) {
            String seqCls = PeftNames.tensorKey(family, module, part);
            if (reader.entry(seqCls).isPresent()) {
                return seqCls;
            }
        }
        String bare = PeftNames.KEY_PREFIX + module + "." + part;
        return reader.entry(bare).isPresent()
                ? bare
                : PeftNames.tensorKey(ModelFamily.BERT, module, part);
    }
}
