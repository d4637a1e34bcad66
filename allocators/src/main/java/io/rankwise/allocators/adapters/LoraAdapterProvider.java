package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Map;

/** The {@code lora} adapter plugin: {@link LoraAdapter}, the fixed-rank baseline. */
public final class LoraAdapterProvider implements AdapterProvider {
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("r", "int >= 1", "8", "rank"),
            new OptionSpec("lora_alpha", "double > 0", "8", "alpha; the update is scaled by alpha / r"),
            new OptionSpec("dtype", "float32|float64", "float32", "parameter dtype"),
            new OptionSpec("seed", "long", "0", "seed of the initial A"));

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public String description() {
        return "plain LoRA B A, the fixed-rank baseline";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Adapter create(Backend backend, String module, int dIn, int dOut, Map<String, String> given) {
        Options o = Options.parse(name(), OPTIONS, given);
        return new LoraAdapter(backend, module, dIn, dOut, o.intIn("r", 1, Integer.MAX_VALUE),
                o.doubleIn("lora_alpha", 0, true, Double.POSITIVE_INFINITY, true),
                DType.parse(o.oneOf("dtype", "float32", "float64")), SvdAdapterProvider.moduleRandom(o, name(), module));
    }
}
