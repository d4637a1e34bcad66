package io.rankwise.training.peft;

import io.rankwise.training.spec.RunSpec;
import java.util.List;
import java.util.Set;

/**
 * The settings a run's adapters are exported with, one record per PEFT method: {@link
 * AdaLoraSettings} ({@code peft_type} ADALORA) for AdaLoRA runs, {@link LoraSettings} ({@code
 * peft_type} LORA) for plain LoRA runs. What both have in common is PEFT's {@code LoraConfig},
 * which {@code AdaLoraConfig} extends.
 */
public sealed interface PeftSettings permits AdaLoraSettings, LoraSettings {

    /** PEFT's {@code TaskType} values (src/peft/utils/peft_types.py). */
    Set<String> TASK_TYPES =
            Set.of(
                    "SEQ_CLS",
                    "SEQ_2_SEQ_LM",
                    "CAUSAL_LM",
                    "TOKEN_CLS",
                    "QUESTION_ANS",
                    "FEATURE_EXTRACTION");

    /** PEFT's {@code peft_type}: {@code ADALORA} or {@code LORA}. */
    String peftType();

    /** The rank every adapter is exported at: AdaLoRA's init_r r₀, LoRA's r. */
    int rank();

    /** α; the update is scaled by α / {@link #rank()}. */
    double loraAlpha();

    /** The module-name suffixes PEFT adapts, sorted. */
    List<String> targetModules();

    /** The base model's Hub id or path, or null. */
    String baseModelNameOrPath();

    /** PEFT's {@code TaskType} name, or null. */
    String taskType();

    /** Dropout on the adapter's input ({@link RunSpec.Adapter#loraDropout()}). */
    double loraDropout();

    /**
     * The settings of the run {@code spec} of {@code totalSteps} steps: LoRA's for a fixed-rank
     * run, AdaLoRA's (with the allocator's schedule) otherwise.
     *
     * @throws IllegalArgumentException if PEFT would refuse the settings
     */
    static PeftSettings forRun(RunSpec spec, long totalSteps) {
        return spec.adapter().fixedRank()
                ? LoraSettings.forRun(spec)
                : AdaLoraSettings.forRun(spec, totalSteps);
    }
}
