package io.rankwise.api.spi;

import io.rankwise.api.Backend;
import io.rankwise.api.adapt.Adapter;
import java.util.Map;

/** Makes {@link Adapter}s for frozen linear layers. Listed in {@code META-INF/services/io.rankwise.api.spi.AdapterProvider}. */
public interface AdapterProvider extends Plugin {

    /**
     * Makes an adapter for a frozen {@code dIn → dOut} linear layer named {@code module}, creating its
     * trainable variables on {@code backend}.
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    Adapter create(Backend backend, String module, int dIn, int dOut, Map<String, String> options);
}
