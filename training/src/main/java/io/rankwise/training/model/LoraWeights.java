package io.rankwise.training.model;

import io.rankwise.api.adapt.LoraAdapter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The host values of one plain LoRA adapter, ΔW = B · A (times α/r), at its fixed rank r (see
 * {@link LoraAdapter}).
 *
 * <p>Plain arrays rather than backend variables, so that export and import need no backend; the
 * model converts its variables with {@link #of(LoraAdapter, double[], double[])}.
 *
 * @param module the adapted module's path, e.g. {@code encoder.layer.0.attention.self.query}
 * @param dIn the input width of the adapted linear layer
 * @param dOut its output width
 * @param a A (PEFT's {@code lora_A.weight}), r × d_in, row-major
 * @param b B (PEFT's {@code lora_B.weight}), d_out × r, row-major
 */
public record LoraWeights(String module, int dIn, int dOut, double[] a, double[] b) {

    /** Checks that the arrays fit the sizes and hold a rank r ≥ 1; the arrays are not copied. */
    public LoraWeights {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (module.isBlank()) {
            throw new IllegalArgumentException("adapter module name is blank");
        }
        if (dIn <= 0 || dOut <= 0) {
            throw new IllegalArgumentException(
                    "adapter "
                            + module
                            + ": d_in "
                            + dIn
                            + " and d_out "
                            + dOut
                            + " must be positive");
        }
        if (a.length == 0 || a.length % dIn != 0 || (long) dOut * (a.length / dIn) != b.length) {
            throw new IllegalArgumentException(
                    "adapter "
                            + module
                            + ": A must hold r×"
                            + dIn
                            + " and B "
                            + dOut
                            + "×r values for one rank r >= 1, got "
                            + a.length
                            + " and "
                            + b.length);
        }
    }

    /**
     * The values {@code a} and {@code b} (host copies of the adapter's A and B, read by the caller,
     * which can read many adapters in one backend call) under the adapter's module name and shapes.
     */
    public static LoraWeights of(LoraAdapter adapter, double[] a, double[] b) {
        long[] aShape = adapter.a().shape().dims();
        long[] bShape = adapter.b().shape().dims();
        if (aShape.length != 2 || bShape.length != 2) {
            throw new IllegalArgumentException(
                    "adapter "
                            + adapter.module()
                            + ": A and B must be matrices, got "
                            + Arrays.toString(aShape)
                            + " and "
                            + Arrays.toString(bShape));
        }
        return new LoraWeights(
                adapter.module(), Math.toIntExact(aShape[1]), Math.toIntExact(bShape[0]), a, b);
    }

    /** r, the rank. */
    public int rank() {
        return a.length / dIn;
    }

    /** B · A, d_out × d_in row-major, without the α/r scale. */
    public double[] deltaW() {
        int r = rank();
        double[] out = new double[dOut * dIn];
        for (int o = 0; o < dOut; o++) {
            for (int k = 0; k < r; k++) {
                double coeff = b[o * r + k];
                if (coeff == 0) {
                    continue;
                }
                for (int j = 0; j < dIn; j++) {
                    out[o * dIn + j] += coeff * a[k * dIn + j];
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoraWeights w
                && module.equals(w.module)
                && dIn == w.dIn
                && dOut == w.dOut
                && Arrays.equals(a, w.a)
                && Arrays.equals(b, w.b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, dIn, dOut, Arrays.hashCode(b));
    }

    @Override
    public String toString() {
        return "LoraWeights[" + module + " " + dOut + "×" + dIn + " rank " + rank() + "]";
    }
}
