package io.rankwise.api.spi;

import io.rankwise.api.Backend;
import io.rankwise.api.adapt.Adapter;
import java.util.Map;

/**
 * Makes {@link Adapter}s for frozen linear layers. Listed in {@code
 * META-INF/services/io.rankwise.api.spi.AdapterProvider}.
 */
public interface AdapterProvider extends Plugin {

    /**
     * Makes an adapter for a frozen {@code dIn → dOut} linear layer named {@code module}, creating
     * its trainable variables on {@code backend}, from options already parsed against {@link
     * #options()} (parse them once for all modules).
     */
    Adapter create(Backend backend, String module, int dIn, int dOut, Options options);

    /**
     * Parses {@code options} (typed values, or text) against {@link #options()} and makes the
     * adapter, as {@link #create(Backend, String, int, int, Options)}.
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    default Adapter create(
            Backend backend, String module, int dIn, int dOut, Map<String, ?> options) {
        return create(backend, module, dIn, dOut, Options.parse(this, options));
    }
}
