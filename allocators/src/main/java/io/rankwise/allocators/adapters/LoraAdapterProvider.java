package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Options;
import java.util.List;

/**
 * The {@code lora} adapter plugin: {@link LoraLowRankAdapter}, plain LoRA at a fixed rank, the
 * baseline AdaLoRA is compared with. Its rank option is {@code r}, as PEFT's {@code LoraConfig}
 * names it.
 */
public final class LoraAdapterProvider implements AdapterProvider {
    /** The plugin's name, also the value of {@code adapter.kind} that selects it. */
    public static final String NAME = "lora";

    /** r. */
    public static final Option<Integer> R = Option.integer("r", 8, "rank").atLeast(1);

    /** α. */
    public static final Option<Double> LORA_ALPHA =
            Option.number("lora_alpha", 8, "alpha; the update is scaled by alpha / r").above(0);

    /** The parameters' type. */
    public static final Option<String> DTYPE = SvdAdapterProvider.DTYPE;

    /** The seed of the initial A, from which each module draws its own stream. */
    public static final Option<Long> SEED = Option.longInteger("seed", 0, "seed of the initial A");

    private static final List<Option<?>> OPTIONS = List.of(R, LORA_ALPHA, DTYPE, SEED);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "plain LoRA B A at the fixed rank r, the baseline (no rank allocation)";
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Adapter create(Backend backend, String module, int dIn, int dOut, Options o) {
        return new LoraLowRankAdapter(
                backend,
                module,
                dIn,
                dOut,
                o.get(R),
                o.get(LORA_ALPHA),
                DType.parse(o.get(DTYPE)),
                SvdAdapterProvider.moduleRandom(o.get(SEED), module));
    }
}
