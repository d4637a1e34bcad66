package io.rankwise.models.weights;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The complete, validated weights of a BERT-family encoder, keyed by Hugging Face names (see {@link
 * BertNames}), with linear weights in [out, in] layout. Every parameter the config calls for is
 * present with its expected shape; the pooler is optional; nothing else is held.
 */
public final class BertWeights {
    private final BertConfig config;
    private final Map<String, NamedArray> tensors;

    private BertWeights(BertConfig config, Map<String, NamedArray> tensors) {
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Validates and wraps the tensors of an encoder. Keys must be normalised Hugging Face names;
     * the pooler is included when both its tensors are present.
     *
     * @throws IllegalArgumentException listing every missing, misshapen or unexpected tensor
     */
    public static BertWeights of(BertConfig config, Map<String, NamedArray> tensors) {
        boolean pooler =
                tensors.containsKey(BertNames.POOLER_WEIGHT)
                        || tensors.containsKey(BertNames.POOLER_BIAS);
        Map<String, long[]> expected = BertNames.expectedShapes(config, pooler);
        Map<String, NamedArray> ordered = ExpectedShapes.check(expected, tensors, config);
        return new BertWeights(config, ordered);
    }

    /** The architecture these weights fit. */
    public BertConfig config() {
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
            throw new IllegalArgumentException(
                    "no tensor '"
                            + name
                            + "' in these BERT weights"
                            + (name.startsWith("pooler.")
                                    ? " (this checkpoint has no pooler)"
                                    : ""));
        }
        return t;
    }

    /** The tensor of this name, if present. */
    public Optional<NamedArray> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** Whether the pooler's dense layer is included. */
    public boolean hasPooler() {
        return tensors.containsKey(BertNames.POOLER_WEIGHT);
    }

    /** The names, in model order. */
    public Set<String> names() {
        return tensors.keySet();
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
    public boolean equals(Object o) {
        return o instanceof BertWeights other
                && config.equals(other.config)
                && tensors.equals(other.tensors);
    }

    @Override
    public int hashCode() {
        return config.hashCode() * 31 + tensors.hashCode();
    }

    @Override
    public String toString() {
        return "BertWeights["
                + config
                + ", "
                + tensors.size()
                + " tensors, "
                + parameterCount()
                + " parameters]";
    }
}
