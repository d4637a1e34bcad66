package io.rankwise.models.encoder;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import java.util.function.Function;

/**
 * One linear layer of an encoder with its adapter, if it has one: y = x W + b + Δ(dropout(x)) for
 * x: [rows, in] and W stored [in, out]. While training, the adapter sees its input through dropout
 * at the adapter rate, as in PEFT (y = base(x) + B(A(dropout(x))) · scaling); the frozen layer sees
 * x.
 */
public final class AdaptedLinear {
    private AdaptedLinear() {}

    /**
     * The layer's output. Closes the intermediates it made (the product, the un-adapted output, the
     * dropped input and the update), never {@code x}, which is the caller's.
     *
     * @param adapter the layer's adapter; null for a frozen layer
     * @param valueOf the value of each adapter parameter in this computation
     * @param dropout the run's dropout; null when not training
     * @param site the adapter input's dropout site, one per adapted call, so that each draws its
     *     own mask
     */
    public static Tensor apply(
            Ops ops,
            Tensor x,
            Tensor weight,
            Tensor bias,
            Adapter adapter,
            Function<Variable, Tensor> valueOf,
            Dropout dropout,
            int site) {
        Tensor product = ops.matmul(x, weight);
        Tensor y = ops.add(product, bias);
        product.close();
        if (adapter == null) {
            return y;
        }
        Tensor input = dropout == null ? x : dropout.applyToAdapterInput(ops, x, site);
        Tensor delta =
                adapter.delta(ops, input, adapter.parameters().stream().map(valueOf).toList());
        Tensor sum = ops.add(y, delta);
        y.close();
        if (delta != x) {
            delta.close();
        }
        if (input != x) {
            input.close();
        }
        return sum;
    }
}
