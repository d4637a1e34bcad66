package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;

/** The {@code adalora} adapter plugin: {@link SvdLowRankAdapter}. */
public final class SvdAdapterProvider implements AdapterProvider {
    /** The plugin's name, also the value of {@code adapter.kind} that selects it. */
    public static final String NAME = "adalora";

    /** r₀. */
    public static final Option<Integer> INIT_R =
            Option.integer("init_r", 12, "initial rank r0 (triplets per matrix)").atLeast(1);

    /** α. */
    public static final Option<Double> LORA_ALPHA =
            Option.number("lora_alpha", 32, "alpha; the update is scaled by alpha / init_r")
                    .above(0);

    /** The parameters' type. */
    public static final Option<String> DTYPE =
            Option.choice("dtype", "float32", List.of("float32", "float64"), "parameter dtype");

    /** The seed of the initial P and Q, from which each module draws its own stream. */
    public static final Option<Long> SEED =
            Option.longInteger("seed", 0, "seed of the initial P and Q");

    private static final List<Option<?>> OPTIONS = List.of(INIT_R, LORA_ALPHA, DTYPE, SEED);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AdaLoRA's SVD-form adapter P diag(Λ) Q, whose rank the allocator prunes";
    }

    @Override
    public int rank() {
        return 20;
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Adapter create(Backend backend, String module, int dIn, int dOut, Options o) {
        return new SvdLowRankAdapter(
                backend,
                module,
                dIn,
                dOut,
                o.get(INIT_R),
                o.get(LORA_ALPHA),
                DType.parse(o.get(DTYPE)),
                moduleRandom(o.get(SEED), module));
    }

    /** A random stream per module, so that adding a module does not change the others' starts. */
    static HostRandom moduleRandom(long seed, String module) {
        return HostRandom.forStream(seed, module.hashCode());
    }
}
