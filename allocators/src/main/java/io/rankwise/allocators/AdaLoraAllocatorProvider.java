package io.rankwise.allocators;

import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import io.rankwise.api.spi.RankAllocatorProvider;
import java.util.List;
import java.util.Map;

/**
 * The {@code adalora} allocator plugin: AdaLoRA's budget schedule and global threshold. Its options
 * are the schedule (the configuration's {@code allocator.options}); the initial rank and the run's
 * length come from the run.
 */
public final class AdaLoraAllocatorProvider implements RankAllocatorProvider {
    /** The plugin's name. */
    public static final String NAME = "adalora";

    /**
     * b_T / number of matrices; at most the adapters' r₀, which the run fixes ({@link
     * AdaLoraConfig} checks it).
     */
    public static final Option<Integer> TARGET_R =
            Option.integer(
                            "target_r",
                            4,
                            "average rank per adapted matrix at the end of training (at most the adapters' init_r)")
                    .atLeast(1);

    /** t_i. */
    public static final Option<Long> TINIT =
            Option.longInteger("tinit", 10, "t_i: steps at full rank before budgeting starts")
                    .atLeast(0);

    /** t_f. */
    public static final Option<Long> TFINAL =
            Option.longInteger("tfinal", 20, "t_f: final steps with the rank pattern frozen")
                    .atLeast(0);

    /** ΔT. */
    public static final Option<Long> DELTA_T =
            Option.longInteger("delta_t", 5, "ΔT: steps between masking steps while budgeting")
                    .atLeast(1);

    /** γ. */
    public static final Option<Double> ORTH_REG_WEIGHT =
            Option.number(
                            "orth_reg_weight",
                            0.1,
                            "γ: weight of the orthogonality regulariser on P and Q")
                    .atLeast(0);

    private static final List<Option<?>> OPTIONS =
            List.of(TARGET_R, TINIT, TFINAL, DELTA_T, ORTH_REG_WEIGHT);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AdaLoRA: cubic budget schedule, global threshold on triplet scores, frozen final pattern";
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public RankAllocator create(Options options, int initR, long totalSteps) {
        return new AdaLoraAllocator(config(options, initR, totalSteps));
    }

    /**
     * The settings from parsed options, for a run with initial rank {@code initR} and {@code
     * totalSteps}.
     *
     * @throws IllegalArgumentException if the schedule does not fit the run (target_r above {@code
     *     initR}, tinit + tfinal not below {@code totalSteps})
     */
    public static AdaLoraConfig config(Options o, int initR, long totalSteps) {
        return new AdaLoraConfig(
                initR,
                o.get(TARGET_R),
                o.get(TINIT),
                o.get(TFINAL),
                o.get(DELTA_T),
                totalSteps,
                o.get(ORTH_REG_WEIGHT));
    }

    /**
     * The settings from options as given (typed values, or text), checked against the declared
     * options, for a run with initial rank {@code initR} and {@code totalSteps}.
     *
     * @throws IllegalArgumentException naming a bad or unknown option, or a schedule that does not
     *     fit the run
     */
    public static AdaLoraConfig config(Map<String, ?> given, int initR, long totalSteps) {
        return config(Options.parse(NAME, OPTIONS, given), initR, totalSteps);
    }
}
