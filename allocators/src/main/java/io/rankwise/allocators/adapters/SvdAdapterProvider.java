package io.rankwise.allocators.adapters;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.OptionSpec;
import io.rankwise.api.spi.Options;
import java.util.List;
import java.util.Map;

/** The {@code adalora} adapter plugin: {@link SvdLowRankAdapter}. */
public final class SvdAdapterProvider implements AdapterProvider {
    static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("init_r", "int >= 1", "12", "initial rank r0 (triplets per matrix)"),
            new OptionSpec("lora_alpha", "double > 0", "32", "alpha; the update is scaled by alpha / init_r"),
            new OptionSpec("dtype", "float32|float64", "float32", "parameter dtype"),
            new OptionSpec("seed", "long", "0", "seed of the initial P and Q"));

    @Override
    public String name() {
        return "adalora";
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
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Adapter create(Backend backend, String module, int dIn, int dOut, Map<String, String> given) {
        Options o = Options.parse(name(), OPTIONS, given);
        return new SvdLowRankAdapter(backend, module, dIn, dOut, o.intIn("init_r", 1, Integer.MAX_VALUE),
                o.doubleIn("lora_alpha", 0, true, Double.POSITIVE_INFINITY, true),
                DType.parse(o.oneOf("dtype", "float32", "float64")), moduleRandom(o, name(), module));
    }

    /** A random stream per module, so that adding a module does not change the others' starts. */
    static HostRandom moduleRandom(Options o, String plugin, String module) {
        try {
            return HostRandom.forStream(Long.parseLong(o.text("seed")), module.hashCode());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(plugin + ": option 'seed' is " + o.text("seed") + "; accepted: an integer");
        }
    }
}
