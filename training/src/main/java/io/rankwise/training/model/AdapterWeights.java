package io.rankwise.training.model;

import io.rankwise.api.adapt.SvdAdapter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The host values of one AdaLoRA adapter in SVD form, ΔW = P · diag(Λ) · Q (times α/r₀), at full
 * rank r₀ (see docs/algorithms.md §1). Triplet i is (P[:, i], Λ[i], Q[i, :]).
 *
 * <p>Plain arrays rather than backend variables, so that export and import need no backend; the
 * trainer converts its variables with {@link #of(SvdAdapter)}.
 *
 * @param module the adapted module's path, e.g. {@code encoder.layer.0.attention.self.query}
 * @param dIn the input width of the adapted linear layer
 * @param dOut its output width
 * @param p P (PEFT's {@code lora_B}), d_out × r₀, row-major
 * @param lambda Λ (PEFT's {@code lora_E}), r₀ values
 * @param q Q (PEFT's {@code lora_A}), r₀ × d_in, row-major
 */
public record AdapterWeights(
        String module, int dIn, int dOut, double[] p, double[] lambda, double[] q) {

    /** Checks that the arrays fit the sizes; the arrays are not copied. */
    public AdapterWeights {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(q, "q");
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
        int r = lambda.length;
        if ((long) dOut * r != p.length || (long) r * dIn != q.length) {
            throw new IllegalArgumentException(
                    "adapter "
                            + module
                            + ": with rank "
                            + r
                            + ", P must hold "
                            + dOut
                            + "×"
                            + r
                            + " and Q "
                            + r
                            + "×"
                            + dIn
                            + " values, got "
                            + p.length
                            + " and "
                            + q.length);
        }
    }

    /**
     * The values {@code p}, {@code lambda}, {@code q} (host copies of the adapter's P, Λ and Q,
     * read by the caller, which can read many adapters in one backend call) under the adapter's
     * module name and shapes.
     */
    public static AdapterWeights of(SvdAdapter adapter, double[] p, double[] lambda, double[] q) {
        long[] pShape = adapter.left().shape().dims();
        long[] qShape = adapter.right().shape().dims();
        if (pShape.length != 2 || qShape.length != 2) {
            throw new IllegalArgumentException(
                    "adapter "
                            + adapter.module()
                            + ": P and Q must be matrices, got "
                            + Arrays.toString(pShape)
                            + " and "
                            + Arrays.toString(qShape));
        }
        return new AdapterWeights(
                adapter.module(),
                Math.toIntExact(qShape[1]),
                Math.toIntExact(pShape[0]),
                p,
                lambda,
                q);
    }

    /** r₀, the number of triplets. */
    public int rank() {
        return lambda.length;
    }

    /**
     * This adapter with every triplet not kept set to zero (P column, Λ entry and Q row): what an
     * import of a pruned export restores.
     *
     * @throws IllegalArgumentException if {@code keep} does not have r₀ entries
     */
    public AdapterWeights masked(boolean[] keep) {
        requirePatternLength(keep);
        int r = rank();
        double[] p2 = p.clone();
        double[] l2 = lambda.clone();
        double[] q2 = q.clone();
        for (int i = 0; i < r; i++) {
            if (!keep[i]) {
                l2[i] = 0;
                for (int o = 0; o < dOut; o++) {
                    p2[o * r + i] = 0;
                }
                Arrays.fill(q2, i * dIn, (i + 1) * dIn, 0);
            }
        }
        return new AdapterWeights(module, dIn, dOut, p2, l2, q2);
    }

    /** P · diag(Λ) · Q, d_out × d_in row-major, without the α/r₀ scale. */
    public double[] deltaW() {
        int r = rank();
        double[] out = new double[dOut * dIn];
        for (int o = 0; o < dOut; o++) {
            for (int i = 0; i < r; i++) {
                double coeff = p[o * r + i] * lambda[i];
                if (coeff == 0) {
                    continue;
                }
                for (int j = 0; j < dIn; j++) {
                    out[o * dIn + j] += coeff * q[i * dIn + j];
                }
            }
        }
        return out;
    }

    /** Refuses a keep mask that does not have one entry per triplet (r₀). */
    public void requirePatternLength(boolean[] keep) {
        if (keep.length != rank()) {
            throw new IllegalArgumentException(
                    "rank pattern of "
                            + module
                            + " has "
                            + keep.length
                            + " entries, but the adapter has rank "
                            + rank());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdapterWeights w
                && module.equals(w.module)
                && dIn == w.dIn
                && dOut == w.dOut
                && Arrays.equals(p, w.p)
                && Arrays.equals(lambda, w.lambda)
                && Arrays.equals(q, w.q);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, dIn, dOut, Arrays.hashCode(lambda));
    }

    @Override
    public String toString() {
        return "AdapterWeights[" + module + " " + dOut + "×" + dIn + " rank " + rank() + "]";
    }
}
