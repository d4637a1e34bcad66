package io.rankwise.training.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host values of the classification head, in the layout of PyTorch's {@code nn.Linear} (weight
 * [out, in], bias [out]) and under the keys of Hugging Face's {@code
 * <Family>ForSequenceClassification} ({@code classifier.weight}, {@code bert.pooler.dense.weight},
 * {@code classifier.out_proj.bias}, …), which is how PEFT saves the modules listed in {@code
 * modules_to_save}.
 *
 * <p>With the {@code pooler} head ({@code model.pooling: pooler}) Python's model computes the same
 * logits from these values. With {@code mean} or {@code cls} pooling the head is one {@code
 * classifier} on a pooled vector that Python's model does not compute; README shows how to pool the
 * same way in Python.
 *
 * @param modulesToSave PEFT's {@code modules_to_save} that holds these tensors
 * @param tensors the tensors, first layer to last, weight before bias
 */
public record HeadWeights(List<String> modulesToSave, List<Tensor> tensors) {

    /**
     * One tensor of the head.
     *
     * @param key its Hugging Face key, e.g. {@code classifier.weight}
     * @param shape [out, in] for a weight, [out] for a bias
     * @param values row-major
     */
    public record Tensor(String key, long[] shape, double[] values) {
        /** Checks that the values fill the shape; the arrays are not copied. */
        public Tensor {
            Objects.requireNonNull(key, "key");
            long size = 1;
            for (long d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            key
                                    + " has shape "
                                    + Arrays.toString(shape)
                                    + "; sizes must be positive");
                }
                size *= d;
            }
            if (shape.length < 1 || shape.length > 2 || size != values.length) {
                throw new IllegalArgumentException(
                        key
                                + " has shape "
                                + Arrays.toString(shape)
                                + " and "
                                + values.length
                                + " values; a head tensor is a [out, in] weight or an [out] bias");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t
                    && key.equals(t.key)
                    && Arrays.equals(shape, t.shape)
                    && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return key + Arrays.toString(shape);
        }
    }

    /** Copies the lists and refuses a head without tensors or with a key twice. */
    public HeadWeights {
        modulesToSave = List.copyOf(modulesToSave);
        tensors = List.copyOf(tensors);
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a classification head has at least one tensor");
        }
        if (tensors.stream().map(Tensor::key).distinct().count() != tensors.size()) {
            throw new IllegalArgumentException("a head tensor key appears twice in " + tensors);
        }
    }

    /**
     * A one-layer head, {@code classifier}: weight [outputs, hidden] and bias [outputs], row-major,
     * saved under {@code modules_to_save: ["classifier"]}.
     */
    public static HeadWeights classifier(int outputs, int hidden, double[] weight, double[] bias) {
        return new HeadWeights(
                List.of("classifier"),
                List.of(
                        new Tensor("classifier.weight", new long[] {outputs, hidden}, weight),
                        new Tensor("classifier.bias", new long[] {outputs}, bias)));
    }

    /** The values of the tensor of this key. */
    public double[] values(String key) {
        return find(key)
                .orElseThrow(() -> new IllegalArgumentException("the head has no tensor " + key))
                .values();
    }

    /** The tensors by key, in order. */
    public Map<String, Tensor> byKey() {
        Map<String, Tensor> map = new LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.key(), t));
        return map;
    }

    /** The tensor of this key, if present. */
    public Optional<Tensor> find(String key) {
        return Optional.ofNullable(byKey().get(key));
    }

    /** The keys and shapes, as a message shows them: {@code [classifier.weight[2, 384], ...]}. */
    public String layout() {
        List<String> parts = new ArrayList<>();
        tensors.forEach(t -> parts.add(t.toString()));
        return parts.toString();
    }

    /**
     * Whether {@code other} has the same keys with the same shapes, in any order (a file lists its
     * tensors sorted by key).
     */
    public boolean fits(HeadWeights other) {
        return new java.util.TreeSet<>(parts(this)).equals(new java.util.TreeSet<>(parts(other)));
    }

    private static List<String> parts(HeadWeights h) {
        return h.tensors.stream().map(Tensor::toString).toList();
    }

    @Override
    public String toString() {
        return "HeadWeights" + layout();
    }
}
