package io.rankwise.models.encoder;

import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;

/**
 * Inverted dropout with a seeded source: keeps each element with probability 1 − p and scales the
 * kept ones by 1/(1 − p), so that its expectation is the input. The seed is a step input (INT64
 * [2]); each dropout site offsets it, so sites draw independent masks and a step is reproducible on
 * one backend (a resumed run draws the masks an uninterrupted one drew).
 *
 * <p>Two rates: {@code rate} for the model's own sites (embeddings, attention probabilities, layer
 * outputs, the head's input), and {@code adapterRate} for the adapters' input only, PEFT's {@code
 * lora_dropout}: an adapted layer computes y = x Wᵀ + b + B(A(dropout(x))) · scaling, the frozen
 * layer seeing x undropped. Adapter sites are numbered from {@link #ADAPTER_SITES} up, apart from
 * the model's, so their masks are independent of the model's.
 *
 * @param rate p of the model's sites, in [0, 1)
 * @param adapterRate p of the adapters' input, in [0, 1)
 * @param seed the step's seed tensor
 */
public record Dropout(double rate, double adapterRate, Tensor seed) {

    /**
     * The first site number of the adapters' inputs; the model's own sites lie below it (the
     * encoder's 1 + 3 per layer, the head's 1000).
     */
    public static final int ADAPTER_SITES = 1 << 16;

    /** Checks the rates. */
    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate is " + rate + "; accepted: [0, 1)");
        }
        if (!(adapterRate >= 0 && adapterRate < 1)) {
            throw new IllegalArgumentException(
                    "adapter dropout rate (lora_dropout) is " + adapterRate + "; accepted: [0, 1)");
        }
    }

    /** Dropout at {@code rate} on the model's sites and none on the adapters' input. */
    public Dropout(double rate, Tensor seed) {
        this(rate, 0, seed);
    }

    /** Applies dropout at site {@code site} (a number distinct per place in the model). */
    public Tensor apply(Ops ops, Tensor x, int site) {
        return apply(ops, x, rate, site);
    }

    /**
     * Applies the adapters' dropout ({@code adapterRate}) to an adapter's input at {@code
     * ADAPTER_SITES + index}, {@code index} distinct per adapted layer.
     */
    public Tensor applyToAdapterInput(Ops ops, Tensor x, int index) {
        if (index < 0 || index >= Integer.MAX_VALUE - ADAPTER_SITES) {
            throw new IllegalArgumentException("adapter dropout index " + index + " out of range");
        }
        return apply(ops, x, adapterRate, ADAPTER_SITES + index);
    }

    private Tensor apply(Ops ops, Tensor x, double p, int site) {
        if (p == 0) {
            return x;
        }
        // An odd multiplier is a bijection on 64-bit integers: distinct sites, distinct seeds.
        Tensor siteSeed =
                ops.add(
                        seed,
                        ops.constant(
                                new long[] {0, 0x9E3779B97F4A7C15L * (site + 1)},
                                Shape.of(2),
                                DType.INT64));
        Tensor keep =
                ops.greaterEqual(
                        ops.randomUniform(x.shape(), x.dtype(), siteSeed, 0, 1),
                        ops.scalar(p, x.dtype()));
        return ops.where(keep, ops.mul(x, 1 / (1 - p)), ops.zeros(Shape.scalar(), x.dtype()));
    }
}
