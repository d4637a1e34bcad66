package io.rankwise.models.deberta;

import io.rankwise.models.weights.ExpectedShapes;
import io.rankwise.models.weights.NamedArray;
import java.util.Collections;
import java.util.Map;

/**
 * The complete, validated weights of a DeBERTa-v2/v3 encoder, keyed by normalised Hugging Face
 * names ({@link DebertaNames}), with linear weights in [out, in] layout: every parameter the config
 * calls for, with its expected shape, and nothing else.
 */
public final class DebertaWeights {
    private final DebertaConfig config;
    private final Map<String, NamedArray> tensors;

    private DebertaWeights(DebertaConfig config, Map<String, NamedArray> tensors) {
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Validates and wraps the tensors of an encoder.
     *
     * @throws IllegalArgumentException listing every missing, misshapen or unexpected tensor by
     *     name
     */
    public static DebertaWeights of(DebertaConfig config, Map<String, NamedArray> tensors) {
        Map<String, NamedArray> ordered =
                ExpectedShapes.check(DebertaNames.expectedShapes(config), tensors, config);
        return new DebertaWeights(config, ordered);
    }

    /** The architecture these weights fit. */
    public DebertaConfig config() {
        return config;
    }

    /**
     * The tensor of this name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public NamedArray get(String name) {
        NamedArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in these DeBERTa weights");
        }
        return t;
    }

    /** All tensors by name, in model order (unmodifiable). */
    public Map<String, NamedArray> asMap() {
        return tensors;
    }

    /** The total number of parameters. */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(NamedArray::size).sum();
    }

    @Override
    public String toString() {
        return "DebertaWeights["
                + config
                + ", "
                + tensors.size()
                + " tensors, "
                + parameterCount()
                + " parameters]";
    }
}
