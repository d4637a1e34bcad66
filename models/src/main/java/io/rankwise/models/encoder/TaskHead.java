package io.rankwise.models.encoder;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.models.weights.NamedArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The trainable task head on the encoder's hidden states, laid out as {@link HeadLayout} says: one
 * dense layer on a pooled vector, or Hugging Face's two-layer heads (pooler or dense, activation,
 * then the classifier). Each dense layer computes {@code x Wᵀ + b}. One output for regression
 * (STS-B), C for C classes.
 *
 * <p>A layer starts from the pretrained values passed in under its Hugging Face key (for example a
 * BERT checkpoint's {@code bert.pooler.dense}) when their shape fits, and otherwise as Hugging
 * Face's {@code _init_weights} starts it: W ~ N(0, 0.02²), b = 0, drawn from the run's seed.
 *
 * <p>Losses: mean cross-entropy −mean_i log softmax(z_i)[y_i] for classification, mean squared
 * error for regression.
 */
public final class TaskHead {
    /** Hugging Face's {@code initializer_range} default. */
    private static final double INIT_STD = 0.02;

    /** Dropout sites of the head, apart from the encoder's. */
    private static final int DROPOUT_SITE = 1000;

    private final HeadLayout layout;
    private final int outputs;
    private final List<DenseLayer> layers;
    private final boolean fromPretrained;

    /** One dense layer: its Hugging Face module name, weight [in, out] and bias [out]. */
    private record DenseLayer(String module, Variable weight, Variable bias) {}

    /**
     * Creates the head's variables.
     *
     * @param prefix a name prefix for the variables, unique per model on the backend
     * @param hidden the encoder's width (and that of a two-layer head's first layer)
     * @param outputs classes, or 1 for regression
     * @param seed the seed of the random initialisation
     * @param pretrained values by Hugging Face key ({@code <module>.weight} in [out, in] layout,
     *     {@code <module>.bias}); layers without fitting values start at random
     */
    public TaskHead(
            Backend backend,
            String prefix,
            HeadLayout layout,
            int hidden,
            int outputs,
            DType dtype,
            long seed,
            Map<String, NamedArray> pretrained) {
        if (outputs < 1) {
            throw new IllegalArgumentException(
                    "a task head needs at least one output, got " + outputs);
        }
        this.layout = layout;
        this.outputs = outputs;
        HostRandom random = new HostRandom(seed);
        List<DenseLayer> made = new ArrayList<>();
        boolean anyPretrained = false;
        List<String> modules = layout.layers();
        for (int i = 0; i < modules.size(); i++) {
            String module = modules.get(i);
            int out = i == modules.size() - 1 ? outputs : hidden;
            NamedArray w = pretrained.get(module + ".weight");
            NamedArray b = pretrained.get(module + ".bias");
            Variable weight;
            Variable bias;
            Shape weightShape = Shape.of(hidden, out);
            if (w != null
                    && b != null
                    && Arrays.equals(w.shape(), new long[] {out, hidden})
                    && Arrays.equals(b.shape(), new long[] {out})) {
                // Straight from the pretrained float32 values, with no double[] copy.
                weight =
                        backend.variable(
                                prefix + module + ".weight",
                                w.transpose2d().data(),
                                weightShape,
                                dtype,
                                true);
                bias =
                        backend.variable(
                                prefix + module + ".bias", b.data(), Shape.of(out), dtype, true);
                anyPretrained = true;
            } else {
                weight =
                        backend.variable(
                                prefix + module + ".weight",
                                random.normal(hidden * out, 0, INIT_STD),
                                weightShape,
                                dtype,
                                true);
                bias =
                        backend.variable(
                                prefix + module + ".bias",
                                new double[out],
                                Shape.of(out),
                                dtype,
                                true);
            }
            made.add(new DenseLayer(module, weight, bias));
        }
        this.layers = Collections.unmodifiableList(made);
        this.fromPretrained = anyPretrained;
    }

    /** A one-layer head with no pretrained values: the classifier on a pooled vector. */
    public TaskHead(
            Backend backend,
            String prefix,
            int hidden,
            int outputs,
            Pooling pooling,
            DType dtype,
            long seed) {
        this(
                backend,
                prefix,
                pooling == Pooling.MEAN ? HeadLayout.MEAN_LINEAR : HeadLayout.CLS_LINEAR,
                hidden,
                outputs,
                dtype,
                seed,
                Map.of());
    }

    /** The layout. */
    public HeadLayout layout() {
        return layout;
    }

    /** Whether some layer started from values passed in (a pretrained pooler, a saved head). */
    public boolean fromPretrained() {
        return fromPretrained;
    }

    /** The trainable variables: each layer's weight [in, out] and bias [out], first to last. */
    public List<Variable> parameters() {
        List<Variable> all = new ArrayList<>(2 * layers.size());
        for (DenseLayer l : layers) {
            all.add(l.weight());
            all.add(l.bias());
        }
        return all;
    }

    /**
     * The Hugging Face keys of {@link #parameters()}, in the same order: {@code <module>.weight}
     * and {@code <module>.bias} of each layer.
     */
    public List<String> parameterKeys() {
        List<String> keys = new ArrayList<>(2 * layers.size());
        for (DenseLayer l : layers) {
            keys.add(l.module() + ".weight");
            keys.add(l.module() + ".bias");
        }
        return keys;
    }

    /** Number of outputs (classes, or 1 for regression). */
    public int outputs() {
        return outputs;
    }

    /** Logits [B, outputs] (or predictions [B, 1] for regression) from hidden states [B, L, H]. */
    public Tensor logits(
            Ops ops,
            Tensor hidden,
            Tensor mask,
            Function<Variable, Tensor> valueOf,
            Dropout dropout) {
        Tensor x = (layout.meanPooled() ? Pooling.MEAN : Pooling.CLS).pool(ops, hidden, mask);
        int site = DROPOUT_SITE;
        for (int i = 0; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            if (dropout != null && (last || layout.dropoutFirst())) {
                x = dropout.apply(ops, x, site++);
            }
            DenseLayer l = layers.get(i);
            x = ops.add(ops.matmul(x, valueOf.apply(l.weight())), valueOf.apply(l.bias()));
            if (!last) {
                x = layout.activation() == HeadLayout.Activation.TANH ? ops.tanh(x) : ops.gelu(x);
            }
        }
        return x;
    }

    /** Mean cross-entropy of logits [B, C] against class indices [B] (INT64). */
    public static Tensor crossEntropy(Ops ops, Tensor logits, Tensor labels) {
        Tensor target = ops.oneHot(labels, (int) logits.shape().dim(1), logits.dtype());
        return ops.neg(
                ops.mean(
                        ops.sum(
                                ops.mul(target, ops.logSoftmax(logits, -1)),
                                new int[] {1},
                                false)));
    }

    /** Mean squared error of predictions [B, 1] against targets [B]. */
    public static Tensor meanSquaredError(Ops ops, Tensor predictions, Tensor targets) {
        return ops.mean(
                ops.square(ops.sub(ops.reshape(predictions, predictions.shape().dim(0)), targets)));
    }
}
