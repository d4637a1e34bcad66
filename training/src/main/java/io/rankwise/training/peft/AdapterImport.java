package io.rankwise.training.peft;

import io.rankwise.api.adapt.LoraAdapter;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.spec.RunSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Puts a PEFT adapter folder, read by {@link io.rankwise.training.peft.PeftImporter}, onto a
 * configured model, after checking that it fits: the PEFT method of the model's {@code
 * adapter.kind} (ADALORA for adalora, LORA for lora), the same init_r (LoRA's r) and lora_alpha
 * (α/r scales every update), exactly the modules the model adapts with their widths, and a
 * classification head of the model's shape. The messages name the file, the key, its value and what
 * the model expects, with the {@code --set} that would make them agree where there is one.
 */
public final class AdapterImport {
    private AdapterImport() {}

    /**
     * What {@code model}, built from {@code spec}, expects of an adapter: for {@link
     * PeftImporter#read(Path, PeftImporter.ModelShape)}, which checks it before allocating.
     */
    public static PeftImporter.ModelShape shapeOf(RunModel model, RunSpec spec) {
        return new PeftImporter.ModelShape(spec.adapter().initR(), model.adaptedModules());
    }

    /**
     * Reads the adapter in {@code folder} as the PEFT method of {@code spec}'s {@code
     * adapter.kind}, its shapes checked against {@code model} before anything is allocated, and
     * assigns it to the model ({@link #apply}, {@link #applyLora}).
     *
     * @throws IllegalArgumentException naming the file and the key that does not fit, and a folder
     *     of the other PEFT method with the {@code --set adapter.kind} that reads it
     * @throws IOException naming the file that cannot be read or is malformed
     */
    public static void load(Path folder, RunModel model, RunSpec spec) throws IOException {
        // A corrupted file is named as such before its contents are looked at.
        AdapterDigest.verify(folder);
        String expected =
                spec.adapter().fixedRank() ? PeftNames.PEFT_TYPE_LORA : PeftNames.PEFT_TYPE;
        Optional<String> type = PeftAdapterConfig.peftTypeOf(folder.resolve(PeftNames.CONFIG_FILE));
        if (type.isPresent() && !type.get().equals(expected)) {
            String kind =
                    type.get().equals(PeftNames.PEFT_TYPE_LORA)
                            ? RunSpec.Adapter.LORA
                            : type.get().equals(PeftNames.PEFT_TYPE)
                                    ? RunSpec.Adapter.ADALORA
                                    : null;
            throw new IllegalArgumentException(
                    folder.resolve(PeftNames.CONFIG_FILE)
                            + ": peft_type is "
                            + type.get()
                            + "; the model has adapter.kind "
                            + spec.adapter().kind()
                            + " (accepted: "
                            + expected
                            + (kind == null
                                    ? ""
                                    : "; --set adapter.kind=" + kind + " reads this folder")
                            + ")");
        }
        PeftImporter.ModelShape shape = shapeOf(model, spec);
        if (spec.adapter().fixedRank()) {
            applyLora(PeftImporter.readLora(folder, shape), folder, model, spec);
        } else {
            apply(PeftImporter.read(folder, shape), folder, model, spec);
        }
    }

    /** The file's rank ({@code key}: r or init_r) must be the model's adapter.init_r. */
    private static void requireRank(String config, String key, int rank, RunSpec.Adapter settings) {
        if (rank != settings.initR()) {
            throw new IllegalArgumentException(
                    config
                            + ": "
                            + key
                            + " is "
                            + rank
                            + "; the model has adapter.init_r "
                            + settings.initR()
                            + " (accepted: the same; --set adapter.init_r="
                            + rank
                            + ")");
        }
    }

    /**
     * Checks the plain LoRA {@code adapter} (read from {@code folder}) against {@code model}, built
     * from {@code spec}, and assigns it; nothing is assigned unless everything fits.
     *
     * @throws IllegalArgumentException naming the file and the key that does not fit
     */
    public static void applyLora(
            PeftLoraAdapter adapter, Path folder, RunModel model, RunSpec spec) {
        RunSpec.Adapter settings = spec.adapter();
        String config = folder.resolve(PeftNames.CONFIG_FILE).toString();
        String weights = folder.resolve(PeftNames.WEIGHTS_FILE).toString();
        requireRank(config, "r", adapter.settings().r(), settings);
        requireAlpha(config, adapter.settings().loraAlpha(), settings);
        Map<String, LoraWeights> byModule = new LinkedHashMap<>();
        adapter.adapters().forEach(w -> byModule.put(w.module(), w));
        requireModules(
                weights,
                byModule.keySet(),
                adapter.settings().targetModules(),
                model,
                settings,
                m -> PeftNames.loraTensorKey(model.family(), m, PeftNames.LORA_A));
        for (LoraAdapter a : model.loraAdapters()) {
            LoraWeights w = byModule.get(a.module());
            long dOut = a.b().shape().dim(0);
            long dIn = a.a().shape().dim(1);
            if (w.dOut() != dOut || w.dIn() != dIn) {
                throw new IllegalArgumentException(
                        weights
                                + ": '"
                                + PeftNames.loraTensorKey(
                                        model.family(), a.module(), PeftNames.LORA_A)
                                + "' and '"
                                + PeftNames.loraTensorKey(
                                        model.family(), a.module(), PeftNames.LORA_B)
                                + "' are for a "
                                + w.dOut()
                                + "×"
                                + w.dIn()
                                + " layer; the model's "
                                + a.module()
                                + " is "
                                + dOut
                                + "×"
                                + dIn
                                + " (another base model?)");
            }
        }
        model.assignLora(adapter.adapters(), requireHead(adapter.head(), weights, model));
    }

    private static void requireAlpha(String config, double fileAlpha, RunSpec.Adapter settings) {
        if (fileAlpha != settings.loraAlpha()) {
            throw new IllegalArgumentException(
                    config
                            + ": lora_alpha is "
                            + fileAlpha
                            + "; the model has adapter.lora_alpha "
                            + settings.loraAlpha()
                            + " (accepted: the same, as it scales every"
                            + " update; --set adapter.lora_alpha="
                            + fileAlpha
                            + ")");
        }
    }

    /** Exactly the model's adapted modules, each named by its first tensor's key. */
    private static void requireModules(
            String weights,
            Set<String> fileModules,
            List<String> fileTargets,
            RunModel model,
            RunSpec.Adapter settings,
            Function<String, String> keyOf) {
        String targets =
                " (adapter.target_modules "
                        + settings.targetModules()
                        + "; the file's target_modules are "
                        + fileTargets
                        + ")";
        Set<String> modelModules = model.adaptedModules().keySet();
        for (String module : fileModules) {
            if (!modelModules.contains(module)) {
                throw new IllegalArgumentException(
                        weights
                                + ": '"
                                + keyOf.apply(module)
                                + "' adapts a module the model does not"
                                + targets);
            }
        }
        for (String module : modelModules) {
            if (!fileModules.contains(module)) {
                throw new IllegalArgumentException(
                        weights
                                + ": no '"
                                + keyOf.apply(module)
                                + "', but the model adapts "
                                + module
                                + targets);
            }
        }
    }

    /** The file's head, which must have the model's head's keys and shapes. */
    private static HeadWeights requireHead(
            Optional<HeadWeights> fileHead, String weights, RunModel model) {
        HeadWeights current = model.headWeights();
        HeadWeights head =
                fileHead.orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        weights
                                                + ": no classification head; evaluating needs"
                                                + " the trained head "
                                                + current.layout()
                                                + ", which PEFT saves with modules_to_save="
                                                + current.modulesToSave()
                                                + " (rankwise export writes it)"));
        if (!head.fits(current)) {
            throw new IllegalArgumentException(
                    weights
                            + ": the head is "
                            + head.layout()
                            + "; the model's head is "
                            + current.layout()
                            + " (another task, base model or model.pooling?)");
        }
        return head;
    }

    /**
     * Checks {@code adapter} (read from {@code folder}) against {@code model}, built from {@code
     * settings}, and assigns it; nothing is assigned unless everything fits.
     *
     * @throws IllegalArgumentException naming the file and the key that does not fit
     */
    public static void apply(PeftAdapter adapter, Path folder, RunModel model, RunSpec spec) {
        RunSpec.Adapter settings = spec.adapter();
        String config = folder.resolve(PeftNames.CONFIG_FILE).toString();
        String weights = folder.resolve(PeftNames.WEIGHTS_FILE).toString();
        requireRank(config, "init_r", adapter.settings().initR(), settings);
        requireAlpha(config, adapter.settings().loraAlpha(), settings);
        Map<String, AdapterWeights> byModule = new LinkedHashMap<>();
        adapter.adapters().forEach(w -> byModule.put(w.module(), w));
        requireModules(
                weights,
                byModule.keySet(),
                adapter.settings().targetModules(),
                model,
                settings,
                m -> PeftNames.tensorKey(model.family(), m, PeftNames.LORA_A));
        for (SvdAdapter a : model.adapters()) {
            AdapterWeights w = byModule.get(a.module());
            long dOut = a.left().shape().dim(0);
            long dIn = a.right().shape().dim(1);
            if (w.dOut() != dOut || w.dIn() != dIn) {
                throw new IllegalArgumentException(
                        weights
                                + ": '"
                                + PeftNames.tensorKey(model.family(), a.module(), PeftNames.LORA_A)
                                + "' and '"
                                + PeftNames.tensorKey(model.family(), a.module(), PeftNames.LORA_B)
                                + "' are for a "
                                + w.dOut()
                                + "×"
                                + w.dIn()
                                + " layer; the model's "
                                + a.module()
                                + " is "
                                + dOut
                                + "×"
                                + dIn
                                + " (another base model?)");
            }
        }
        model.assign(adapter.adapters(), requireHead(adapter.head(), weights, model));
    }
}
