package io.rankwise.allocators;

import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import io.rankwise.api.spi.RankAllocatorProvider;
import java.util.List;
import java.util.Map;

/** The {@code adalora} allocator plugin. Option names follow PEFT's AdaLoraConfig. */
public final class AdaLoraAllocatorProvider implements RankAllocatorProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("init_r", "int >= 1", "12", "initial rank of every adapter"),
            new OptionSpec("target_r", "int in [1, init_r]", "8", "average rank at the end"),
            new OptionSpec("tinit", "int >= 0", "0", "warm-up steps before budgeting"),
            new OptionSpec("tfinal", "int >= 0", "0", "final steps with the pattern frozen"),
            new OptionSpec("deltaT", "int >= 1", "1", "steps between masks"),
            new OptionSpec("total_step", "int > tinit + tfinal", null, "total training steps T"),
            new OptionSpec("orth_reg_weight", "double >= 0", "0.5", "weight γ of the orthogonality regulariser"));

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
    public RankAllocator create(Map<String, String> given) {
        return new AdaLoraAllocator(config(given));
    }

    /** The validated settings from options. */
    public static AdaLoraConfig config(Map<String, String> given) {
        Options o = Options.parse("adalora", OPTIONS, given);
        int max = Integer.MAX_VALUE;
        return new AdaLoraConfig(o.intIn("init_r", 1, max), o.intIn("target_r", -max, max), o.intIn("tinit", -max, max),
                o.intIn("tfinal", -max, max), o.intIn("deltaT", -max, max), o.intIn("total_step", -max, max),
                o.doubleIn("orth_reg_weight", Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false));
    }
}
