package io.rankwise.models.bert;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;
import java.util.function.Function;

/**
 * The trainable task head on a pooled sequence vector: logits = dropout(pooled) Wᵀ + b, with W ~
 * N(0, 0.02²) and b = 0 at the start; one output for regression (STS-B), C for C classes. Losses:
 * mean cross-entropy −mean_i log softmax(z_i)[y_i] for classification, mean squared error for
 * regression.
 */
public final class TaskHead {
    private final Variable weight;
    private final Variable bias;
    private final int outputs;
    private final Pooling pooling;

    /** Creates the head's variables. */
    public TaskHead(
            Backend backend,
            String prefix,
            int hidden,
            int outputs,
            Pooling pooling,
            DType dtype,
            long seed) {
        if (outputs < 1) {
            throw new IllegalArgumentException(
                    "a task head needs at least one output, got " + outputs);
        }
        this.outputs = outputs;
        this.pooling = pooling;
        this.weight =
                backend.variable(
                        prefix + "classifier.weight",
                        new HostRandom(seed).normal(hidden * outputs, 0, 0.02),
                        Shape.of(hidden, outputs),
                        dtype,
                        true);
        this.bias =
                backend.variable(
                        prefix + "classifier.bias",
                        new double[outputs],
                        Shape.of(outputs),
                        dtype,
                        true);
    }

    /** The trainable variables. */
    public List<Variable> parameters() {
        return List.of(weight, bias);
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
        Tensor pooled = pooling.pool(ops, hidden, mask);
        if (dropout != null) {
            pooled = dropout.apply(ops, pooled, 1000);
        }
        return ops.add(ops.matmul(pooled, valueOf.apply(weight)), valueOf.apply(bias));
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
