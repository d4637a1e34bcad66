package io.rankwise.training.peft;

import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.spec.RunSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a PEFT adapter folder, read by {@link io.rankwise.training.peft.PeftImporter}, onto a
 * configured model, after checking that it fits: the same init_r and lora_alpha (α/init_r scales
 * every update), exactly the modules the model adapts with their widths, and a classification head
 * of the model's shape. The messages name the file, the key, its value and what the model expects,
 * with the {@code --set} that would make them agree where there is one.
 */
public final class AdapterImport {
    private AdapterImport() {}

    /**
     * What {@code model}, built from {@code spec}, expects of an adapter: for {@link
     * PeftImporter#read(Path, PeftImporter.ModelShape)}, which checks it before allocating.
     */
    public static PeftImporter.ModelShape shapeOf(RunModel model, RunSpec spec) {
        Map<String, long[]> modules = new LinkedHashMap<>();
        for (SvdAdapter a : model.adapters()) {
            modules.put(a.module(), new long[] {a.left().shape().dim(0), a.right().shape().dim(1)});
        }
        return new PeftImporter.ModelShape(spec.adapter().initR(), modules);
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
        if (adapter.settings().initR() != settings.initR()) {
            throw new IllegalArgumentException(
                    config
                            + ": init_r is "
                            + adapter.settings().initR()
                            + "; the model has adapter.init_r "
                            + settings.initR()
                            + " (accepted: the same; --set adapter.init_r="
                            + adapter.settings().initR()
                            + ")");
        }
        if (adapter.settings().loraAlpha() != settings.loraAlpha()) {
            throw new IllegalArgumentException(
                    config
                            + ": lora_alpha is "
                            + adapter.settings().loraAlpha()
                            + "; the model has adapter.lora_alpha "
                            + settings.loraAlpha()
                            + " (accepted: the same, as it scales every"
                            + " update; --set adapter.lora_alpha="
                            + adapter.settings().loraAlpha()
                            + ")");
        }
        String targets =
                " (adapter.target_modules "
                        + settings.targetModules()
                        + "; the file's target_modules are "
                        + adapter.settings().targetModules()
                        + ")";
        Map<String, AdapterWeights> byModule = new LinkedHashMap<>();
        adapter.adapters().forEach(w -> byModule.put(w.module(), w));
        List<String> modelModules = model.adapters().stream().map(SvdAdapter::module).toList();
        for (String module : byModule.keySet()) {
            if (!modelModules.contains(module)) {
                throw new IllegalArgumentException(
                        weights
                                + ": '"
                                + PeftNames.tensorKey(model.family(), module, PeftNames.LORA_A)
                                + "' adapts a module the model does not"
                                + targets);
            }
        }
        for (SvdAdapter a : model.adapters()) {
            AdapterWeights w = byModule.get(a.module());
            if (w == null) {
                throw new IllegalArgumentException(
                        weights
                                + ": no '"
                                + PeftNames.tensorKey(model.family(), a.module(), PeftNames.LORA_A)
                                + "', but the model adapts "
                                + a.module()
                                + targets);
            }
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
        HeadWeights current = model.headWeights();
        HeadWeights head =
                adapter.head()
                        .orElseThrow(
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
        model.assign(adapter.adapters(), head);
    }
}
