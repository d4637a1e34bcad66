package io.rankwise.training.peft;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AdaLoRA settings that go into {@code adapter_config.json}, named as in PEFT's {@code
 * AdaLoraConfig} (huggingface/peft, {@code src/peft/tuners/adalora/config.py}) and its base {@code
 * LoraConfig}.
 *
 * <p>The checks are those PEFT applies when it loads the config, so that an export never writes a
 * file Python refuses: {@code AdaLoraConfig.__post_init__} raises unless {@code total_step > 0} and
 * {@code tinit < total_step - tfinal}; {@code RankAllocator.__init__} asserts {@code 0 < beta1,
 * beta2 < 1}. {@code 0 < target_r ≤ init_r} and {@code deltaT ≥ 1} are docs/algorithms.md §2's own
 * checks.
 *
 * @param initR r₀, the initial rank of every adapted matrix ({@code init_r})
 * @param targetR the target average rank ({@code target_r})
 * @param loraAlpha α ({@code lora_alpha}); PEFT scales by α / ranknum with ranknum = r₀
 * @param tinit warm-up steps without pruning
 * @param tfinal final steps with the rank pattern frozen
 * @param deltaT steps between two budget allocations ({@code deltaT})
 * @param totalStep total training steps ({@code total_step})
 * @param orthRegWeight γ, the weight of the orthogonality regulariser ({@code orth_reg_weight})
 * @param beta1 EMA coefficient of the sensitivity
 * @param beta2 EMA coefficient of the uncertainty
 * @param targetModules the module-name suffixes PEFT adapts, e.g. {@code ["query", "value"]} (kept
 *     sorted)
 * @param baseModelNameOrPath the base model's Hub id or path, or null
 * @param taskType PEFT's {@code TaskType} name (e.g. {@code SEQ_CLS}), or null
 * @param loraDropout dropout on the adapter's input only ({@code lora_dropout}); a run's export
 *     gives the rate its training used ({@link
 *     io.rankwise.training.spec.RunSpec.Adapter#loraDropout}), 0 when none
 */
public record AdaLoraSettings(
        int initR,
        int targetR,
        double loraAlpha,
        int tinit,
        int tfinal,
        int deltaT,
        int totalStep,
        double orthRegWeight,
        double beta1,
        double beta2,
        List<String> targetModules,
        String baseModelNameOrPath,
        String taskType,
        double loraDropout)
        implements PeftSettings {

    /**
     * The settings of a run's export: its adapter, its allocator's schedule (options with their
     * defaults, as the {@code adalora} allocator reads them), its length, its base model, the
     * adapter dropout its training applied, and PEFT's default β₁ = β₂ = 0.85 of the sensitivity's
     * moving averages.
     *
     * @throws IllegalArgumentException if PEFT would refuse the settings (see above)
     */
    public static AdaLoraSettings forRun(io.rankwise.training.spec.RunSpec spec, long totalSteps) {
        io.rankwise.allocators.AdaLoraConfig schedule =
                io.rankwise.allocators.AdaLoraAllocatorProvider.config(
                        spec.allocator().options(), spec.adapter().initR(), totalSteps);
        return new AdaLoraSettings(
                spec.adapter().initR(),
                schedule.targetR(),
                spec.adapter().loraAlpha(),
                Math.toIntExact(schedule.tinit()),
                Math.toIntExact(schedule.tfinal()),
                Math.toIntExact(schedule.deltaT()),
                Math.toIntExact(totalSteps),
                schedule.orthRegWeight(),
                0.85,
                0.85,
                spec.adapter().targetModules(),
                io.rankwise.training.spec.ModelSources.baseModelName(spec.model().source()),
                "SEQ_CLS",
                spec.adapter().loraDropout());
    }

    /** PEFT's {@code TaskType} values (src/peft/utils/peft_types.py). */
    public static final Set<String> TASK_TYPES = PeftSettings.TASK_TYPES;

    /** {@code ADALORA}. */
    @Override
    public String peftType() {
        return PeftNames.PEFT_TYPE;
    }

    /** init_r, the rank AdaLoRA's adapters are exported at before pruning. */
    @Override
    public int rank() {
        return initR;
    }

    /**
     * Validates as described above. The target modules are sorted and deduplicated: PEFT holds them
     * as a set ({@code AdaLoraConfig.__post_init__}), so their order carries no meaning.
     */
    public AdaLoraSettings {
        Objects.requireNonNull(targetModules, "targetModules");
        targetModules = List.copyOf(new TreeSet<>(targetModules));
        if (initR < 1) {
            throw new IllegalArgumentException("init_r must be at least 1, got " + initR);
        }
        if (targetR < 1 || targetR > initR) {
            throw new IllegalArgumentException(
                    "target_r must lie in [1, init_r = " + initR + "], got " + targetR);
        }
        if (!Double.isFinite(loraAlpha) || loraAlpha <= 0) {
            throw new IllegalArgumentException(
                    "lora_alpha must be positive and finite, got " + loraAlpha);
        }
        if (totalStep <= 0) {
            throw new IllegalArgumentException("total_step must be positive, got " + totalStep);
        }
        if (tinit < 0 || tfinal < 0 || tinit >= totalStep - tfinal) {
            throw new IllegalArgumentException(
                    "tinit "
                            + tinit
                            + " and tfinal "
                            + tfinal
                            + " must be non-negative and leave a budgeting phase (tinit < total_step - tfinal = "
                            + (totalStep - tfinal)
                            + ")");
        }
        if (deltaT < 1) {
            throw new IllegalArgumentException("deltaT must be at least 1, got " + deltaT);
        }
        if (!(orthRegWeight >= 0) || Double.isInfinite(orthRegWeight)) {
            throw new IllegalArgumentException(
                    "orth_reg_weight must be non-negative and finite, got " + orthRegWeight);
        }
        if (!(beta1 > 0 && beta1 < 1) || !(beta2 > 0 && beta2 < 1)) {
            throw new IllegalArgumentException(
                    "beta1 and beta2 must lie in (0, 1), got " + beta1 + " and " + beta2);
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
}
