package io.rankwise.training.peft;

import io.rankwise.training.spec.ModelSources;
import io.rankwise.training.spec.RunSpec;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The settings of a plain LoRA adapter that go into {@code adapter_config.json}, named as in PEFT's
 * {@code LoraConfig} (huggingface/peft, {@code src/peft/tuners/lora/config.py}): every adapted
 * matrix gets ΔW = B A · α/r ({@code LoraLayer.update_layer}: {@code scaling = lora_alpha / r}
 * unless {@code use_rslora}, which Rankwise leaves false).
 *
 * @param r the rank of every adapter ({@code r})
 * @param loraAlpha α ({@code lora_alpha})
 * @param targetModules the module-name suffixes PEFT adapts, e.g. {@code ["query", "value"]} (kept
 *     sorted: PEFT holds them as a set)
 * @param baseModelNameOrPath the base model's Hub id or path, or null
 * @param taskType PEFT's {@code TaskType} name (e.g. {@code SEQ_CLS}), or null
 * @param loraDropout dropout on the adapter's input (0 when none was used)
 */
public record LoraSettings(
        int r,
        double loraAlpha,
        List<String> targetModules,
        String baseModelNameOrPath,
        String taskType,
        double loraDropout)
        implements PeftSettings {

    /** The {@code peft_type} of plain LoRA. */
    public static final String PEFT_TYPE = "LORA";

    /** Validates as PEFT's {@code LoraConfig} and {@code LoraLayer.update_layer} would. */
    public LoraSettings {
        Objects.requireNonNull(targetModules, "targetModules");
        targetModules = List.copyOf(new TreeSet<>(targetModules));
        if (r < 1) {
            // update_layer: "`r` should be a positive integer value"
            throw new IllegalArgumentException("r must be at least 1, got " + r);
        }
        if (!Double.isFinite(loraAlpha) || loraAlpha <= 0) {
            throw new IllegalArgumentException(
                    "lora_alpha must be positive and finite, got " + loraAlpha);
        }
        if (targetModules.isEmpty() || targetModules.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                    "target_modules must name at least one module, got " + targetModules);
        }
        if (taskType != null && !TASK_TYPES.contains(taskType)) {
            throw new IllegalArgumentException(
                    "task_type '" + taskType + "' is not one of PEFT's " + TASK_TYPES);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException(
                    "lora_dropout must lie in [0, 1), got " + loraDropout);
        }
    }

    /**
     * The settings of a LoRA run's export: its adapters' rank ({@code adapter.init_r}) and α, its
     * targets and base model, for sequence classification.
     */
    public static LoraSettings forRun(RunSpec spec) {
        return new LoraSettings(
                spec.adapter().initR(),
                spec.adapter().loraAlpha(),
                spec.adapter().targetModules(),
                ModelSources.baseModelName(spec.model().source()),
                "SEQ_CLS",
                spec.adapter().loraDropout());
    }

    /** {@code LORA}. */
    @Override
    public String peftType() {
        return PEFT_TYPE;
    }

    /** r. */
    @Override
    public int rank() {
        return r;
    }
}
