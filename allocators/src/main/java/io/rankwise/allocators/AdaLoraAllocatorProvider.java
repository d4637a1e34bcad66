package io.rankwise.allocators;

import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import io.rankwise.api.spi.RankAllocatorProvider;
import java.util.List;
import java.util.Map;

/**
 * The {@code adalora} allocator plugin: AdaLoRA's budget schedule and global threshold. Its options
 * are the schedule (the configuration's {@code allocator.options}); the initial rank and the
 * run's length come from the run.
 */
public final class AdaLoraAllocatorProvider implements RankAllocatorProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("target_r", "int in [1, init_r]", "4", "average rank per adapted matrix at the end of training"),
            new OptionSpec("tinit", "int >= 0", "10", "t_i: steps at full rank before budgeting starts"),
            new OptionSpec("tfinal", "int >= 0", "20", "t_f: final steps with the rank pattern frozen"),
            new OptionSpec("delta_t", "int >= 1", "5", "ΔT: steps between masking steps while budgeting"),
            new OptionSpec("orth_reg_weight", "double >= 0", "0.1", "γ: weight of the orthogonality regulariser on P and Q"));

    @Override
    public String name() {
        return "adalora";
    }

    @Override
    public String description() {
        return "AdaLoRA: cubic budget schedule, global threshold on triplet scores, frozen final pattern";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public RankAllocator create(Map<String, String> given, int initR, long totalSteps) {
        return new AdaLoraAllocator(config(given, initR, totalSteps));
    }

    /** The validated settings from options, for a run with initial rank {@code initR} and {@code totalSteps}. */
    public static AdaLoraConfig config(Map<String, String> given, int initR, long totalSteps) {
        Options o = Options.parse("adalora", OPTIONS, given);
        int max = Integer.MAX_VALUE;
        return new AdaLoraConfig(initR, o.intIn("target_r", -max, max), o.intIn("tinit", -max, max),
                o.intIn("tfinal", -max, max), o.intIn("delta_t", -max, max), totalSteps,
                o.doubleIn("orth_reg_weight", Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false));
    }
}
