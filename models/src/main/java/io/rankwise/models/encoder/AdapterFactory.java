package io.rankwise.models.encoder;

import io.rankwise.api.Backend;
import io.rankwise.api.adapt.Adapter;

/** Makes the adapter of one frozen linear layer (for example from an {@code AdapterProvider}). */
@FunctionalInterface
public interface AdapterFactory {

    /**
     * @param module the layer's name, e.g. {@code encoder.layer.3.attention.self.value}
     * @param dIn its input width
     * @param dOut its output width
     */
    Adapter create(Backend backend, String module, int dIn, int dOut);
}
