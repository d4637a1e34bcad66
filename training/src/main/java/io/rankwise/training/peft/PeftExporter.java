package io.rankwise.training.peft;

import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsWriter;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes AdaLoRA adapters ({@link #export}) or plain LoRA adapters ({@link #exportLora}) as a
 * folder Python PEFT loads with {@code PeftModel.from_pretrained(base_model, folder)}: {@code
 * adapter_config.json} and {@code adapter_model.safetensors}, with their SHA-256 digests in {@value
 * AdapterDigest#FILE} (which {@link PeftImporter} verifies; PEFT ignores the file).
 *
 * <p>A LoRA folder has {@code peft_type} LORA ({@link LoraAdapterConfig}) and per module {@code
 * base_model.model.<module>.lora_A.weight} [r, d_in] and {@code .lora_B.weight} [d_out, r]: LoRA's
 * A and B are {@code nn.Linear} modules, hence the {@code .weight} (see {@link PeftNames}); nothing
 * is pruned. The head, the metadata and the order of the tensors are as below.
 *
 * <p>What PEFT does on save, and this class repeats (huggingface/peft):
 *
 * <ul>
 *   <li>Keys {@code base_model.model.<module>.lora_A|lora_B|lora_E}, no {@code .weight}, adapter
 *       name removed (see {@link PeftNames}).
 *   <li>Shapes {@code lora_A} [r, d_in], {@code lora_B} [d_out, r], {@code lora_E} [r, 1] ({@code
 *       AdaLoraLayer.update_layer} in {@code src/peft/tuners/adalora/layer.py}).
 *   <li>Pruning by the rank pattern ({@code AdaLoraModel.resize_state_dict_by_rank_pattern} in
 *       {@code src/peft/tuners/adalora/model.py}, called by {@code get_peft_model_state_dict}):
 *       rows of {@code lora_E} and {@code lora_A} and columns of {@code lora_B} are kept where the
 *       pattern is true. On load, {@code resize_modules_by_rank_pattern} shrinks each layer to the
 *       same rank and restores {@code ranknum} to r₀, so the scale α/r₀ is unchanged.
 *   <li>The classification head, if exported, as a {@code modules_to_save} module (see {@link
 *       PeftNames} and {@link HeadWeights}, which also says how our pooling differs from {@code
 *       BertForSequenceClassification}'s).
 *   <li>The safetensors metadata {@code {"format": "pt"}} ({@code PeftModel.save_pretrained}).
 *   <li>Tensors in name order, as the safetensors serializer sorts them (huggingface/safetensors,
 *       {@code prepare} in {@code safetensors/src/tensor.rs}: by dtype, then name).
 * </ul>
 */
public final class PeftExporter {

    private PeftExporter() {}

    /**
     * Exports {@code adapters} into {@code folder} (created if needed; both files replaced),
     * without a classification head.
     *
     * @see #export(Path, ModelFamily, List, Optional, Map, AdaLoraSettings)
     */
    public static void export(
            Path folder,
            List<AdapterWeights> adapters,
            Map<String, boolean[]> rankPattern,
            AdaLoraSettings settings)
            throws IOException {
        export(folder, ModelFamily.BERT, adapters, Optional.empty(), rankPattern, settings);
    }

    /**
     * Exports {@code adapters}, and the classification head if given, into {@code folder} (created
     * if needed; both files replaced). The head is written as PEFT saves {@code modules_to_save}
     * modules: each tensor under {@code base_model.model.<its Hugging Face key>}, in {@code
     * nn.Linear}'s layout, with the head's {@code modules_to_save} in the config.
     *
     * @param family the encoder family, whose attribute prefixes the adapted modules' paths
     * @param adapters the adapters at full rank init_r, one per module
     * @param head the classification head, or empty to export the adapters alone
     * @param rankPattern module → the surviving triplets (PEFT's {@code <module>.lora_E} keys are
     *     applied here); a module without an entry is exported at full rank, as PEFT does; empty
     *     when no allocation has happened
     * @throws IllegalArgumentException if an adapter's rank is not init_r, a module repeats or is
     *     not matched by target_modules, or the pattern names an unknown module or has the wrong
     *     length
     */
    public static void export(
            Path folder,
            ModelFamily family,
            List<AdapterWeights> adapters,
            Optional<HeadWeights> head,
            Map<String, boolean[]> rankPatternByModule,
            AdaLoraSettings settings)
            throws IOException {
        Map<String, boolean[]> rankPattern = PeftNames.byRankPatternKey(rankPatternByModule);
        validate(adapters, rankPattern, settings);
        List<NamedArray> tensors = new ArrayList<>();
        for (AdapterWeights w : adapters) {
            boolean[] keep = rankPattern.get(PeftNames.rankPatternKey(w.module()));
            tensors.addAll(prunedTensors(family, w, keep == null ? allTrue(w.rank()) : keep));
        }
        head.ifPresent(h -> tensors.addAll(headTensors(h)));
        tensors.sort(Comparator.comparing(NamedArray::name));
        List<String> modulesToSave = head.map(HeadWeights::modulesToSave).orElse(List.of());
        PeftAdapterConfig config =
                new PeftAdapterConfig(settings, rankPattern, modulesToSave, family);
        write(folder, tensors, config::write);
    }

    /**
     * Exports plain LoRA {@code adapters}, and the classification head if given, into {@code
     * folder} (created if needed; both files replaced): {@code lora_A.weight} [r, d_in] and {@code
     * lora_B.weight} [d_out, r] per module as float32, the head as {@link #export} writes it, and a
     * {@code peft_type} LORA config.
     *
     * @param family the encoder family, whose attribute prefixes the adapted modules' paths
     * @param adapters the adapters, one per module
     * @param head the classification head, or empty to export the adapters alone
     * @throws IllegalArgumentException if an adapter's rank is not r, or a module repeats or is not
     *     matched by target_modules
     */
    public static void exportLora(
            Path folder,
            ModelFamily family,
            List<LoraWeights> adapters,
            Optional<HeadWeights> head,
            LoraSettings settings)
            throws IOException {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no adapters to export");
        }
        Set<String> modules = new HashSet<>();
        List<NamedArray> tensors = new ArrayList<>();
        for (LoraWeights w : adapters) {
            if (!modules.add(w.module())) {
                throw new IllegalArgumentException("module " + w.module() + " has two adapters");
            }
            if (w.rank() != settings.r()) {
                throw new IllegalArgumentException(
                        "adapter "
                                + w.module()
                                + " has rank "
                                + w.rank()
                                + " but r is "
                                + settings.r());
            }
            requireTargeted(w.module(), settings.targetModules());
            tensors.add(
                    new NamedArray(
                            PeftNames.loraTensorKey(family, w.module(), PeftNames.LORA_A),
                            new long[] {w.rank(), w.dIn()},
                            toFloats(w.a())));
            tensors.add(
                    new NamedArray(
                            PeftNames.loraTensorKey(family, w.module(), PeftNames.LORA_B),
                            new long[] {w.dOut(), w.rank()},
                            toFloats(w.b())));
        }
        head.ifPresent(h -> tensors.addAll(headTensors(h)));
        tensors.sort(Comparator.comparing(NamedArray::name));
        LoraAdapterConfig config =
                new LoraAdapterConfig(
                        settings, head.map(HeadWeights::modulesToSave).orElse(List.of()));
        write(folder, tensors, config::write);
    }

    /**
     * Writes the weights, then the config, then their digests: no digest while the files change, so
     * that a kill in between leaves an unverified folder, not one that fails its digest.
     */
    private static void write(
            Path folder, List<NamedArray> sortedTensors, AtomicFiles.Content config)
            throws IOException {
        Files.createDirectories(folder);
        AdapterDigest.remove(folder);
        SafetensorsWriter.write(
                folder.resolve(PeftNames.WEIGHTS_FILE), sortedTensors, Map.of("format", "pt"));
        AtomicFiles.replace(folder.resolve(PeftNames.CONFIG_FILE), config);
        AdapterDigest.write(folder, List.of(PeftNames.CONFIG_FILE, PeftNames.WEIGHTS_FILE));
    }

    /**
     * PEFT only wraps modules whose name is a target or ends in "." + target ({@code
     * check_target_module_exists}); tensors of other modules would be dropped on load.
     */
    private static void requireTargeted(String module, List<String> targets) {
        boolean targeted =
                targets.stream().anyMatch(t -> module.equals(t) || module.endsWith("." + t));
        if (!targeted) {
            throw new IllegalArgumentException(
                    "module "
                            + module
                            + " is not matched by target_modules "
                            + targets
                            + "; PEFT would not load its adapter");
        }
    }

    /** The head's tensors as float32, under PEFT's keys: {@code base_model.model.<key>}. */
    static List<NamedArray> headTensors(HeadWeights h) {
        return h.tensors().stream()
                .map(
                        t ->
                                new NamedArray(
                                        PeftNames.KEY_PREFIX + t.key(),
                                        t.shape().clone(),
                                        toFloats(t.values())))
                .toList();
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /**
     * The three tensors of one adapter, keeping triplet i where {@code keep[i]}: lora_A [k, d_in]
     * (rows of Q), lora_B [d_out, k] (columns of P), lora_E [k, 1], with k the number kept.
     */
    static List<NamedArray> prunedTensors(ModelFamily family, AdapterWeights w, boolean[] keep) {
        w.requirePatternLength(keep);
        int r = w.rank();
        int[] kept = keptIndices(keep);
        int k = kept.length;
        float[] a = new float[k * w.dIn()];
        float[] b = new float[w.dOut() * k];
        float[] e = new float[k];
        for (int n = 0; n < k; n++) {
            int i = kept[n];
            for (int j = 0; j < w.dIn(); j++) {
                a[n * w.dIn() + j] = (float) w.q()[i * w.dIn() + j];
            }
            for (int o = 0; o < w.dOut(); o++) {
                b[o * k + n] = (float) w.p()[o * r + i];
            }
            e[n] = (float) w.lambda()[i];
        }
        String m = w.module();
        return List.of(
                new NamedArray(
                        PeftNames.tensorKey(family, m, PeftNames.LORA_A),
                        new long[] {k, w.dIn()},
                        a),
                new NamedArray(
                        PeftNames.tensorKey(family, m, PeftNames.LORA_B),
                        new long[] {w.dOut(), k},
                        b),
                new NamedArray(
                        PeftNames.tensorKey(family, m, PeftNames.LORA_E), new long[] {k, 1}, e));
    }

    static int[] keptIndices(boolean[] keep) {
        int count = 0;
        for (boolean b : keep) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        for (int i = 0, n = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[n++] = i;
            }
        }
        return out;
    }

    static boolean[] allTrue(int r) {
        boolean[] keep = new boolean[r];
        Arrays.fill(keep, true);
        return keep;
    }

    private static void validate(
            List<AdapterWeights> adapters,
            Map<String, boolean[]> rankPattern,
            AdaLoraSettings settings) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no adapters to export");
        }
        Set<String> modules = new HashSet<>();
        for (AdapterWeights w : adapters) {
            if (!modules.add(w.module())) {
                throw new IllegalArgumentException("module " + w.module() + " has two adapters");
            }
            if (w.rank() != settings.initR()) {
                throw new IllegalArgumentException(
                        "adapter "
                                + w.module()
                                + " has rank "
                                + w.rank()
                                + " but init_r is "
                                + settings.initR()
                                + "; export the adapters at full rank");
            }
            requireTargeted(w.module(), settings.targetModules());
        }
        for (Map.Entry<String, boolean[]> e : rankPattern.entrySet()) {
            String module =
                    PeftNames.moduleOfRankPatternKey(e.getKey())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "rank pattern key '"
                                                            + e.getKey()
                                                            + "' must have the form <module>."
                                                            + PeftNames.LORA_E));
            if (!modules.contains(module)) {
                throw new IllegalArgumentException(
                        "rank pattern key '" + e.getKey() + "' names no exported adapter");
            }
            if (e.getValue().length != settings.initR()) {
                throw new IllegalArgumentException(
                        "rank pattern '"
                                + e.getKey()
                                + "' has "
                                + e.getValue().length
                                + " entries, expected init_r = "
                                + settings.initR());
            }
        }
    }
}
