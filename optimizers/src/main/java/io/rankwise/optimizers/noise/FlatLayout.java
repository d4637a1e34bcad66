package io.rankwise.optimizers.noise;

import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each parameter's draws lie in one flat vector holding a whole step's noise: sample s of
 * parameter i occupies {@code [s · stride + offset(i), … + size(i))}, parameters in order, each
 * starting at a multiple of {@value #ALIGN} elements (the padding between them is drawn or fed but
 * never used). The alignment is there because TensorFlow's Slice kernel returns a view, not a copy,
 * of a one-dimensional tensor when the slice's start and length are multiples of 64 bytes (its
 * EIGEN_MAX_ALIGN_BYTES on AVX-512 builds, a multiple of the 32 or 16 of others); so for parameters
 * whose size is a multiple of 16 elements, which large matrices are, splitting the flat vector
 * costs no pass over the noise, and only the draws of other (in practice small) parameters are
 * copied. On PyTorch a slice is always a view.
 */
final class FlatLayout {
    /** Elements per alignment unit: 64 bytes of float32 (128 of float64). */
    static final int ALIGN = 16;

    private final long[] offsets;
    private final long[] sizes;
    private final long stride;

    private FlatLayout(long[] offsets, long[] sizes, long stride) {
        this.offsets = offsets;
        this.sizes = sizes;
        this.stride = stride;
    }

    /** The layout of {@code parameters}, in their order. */
    static FlatLayout of(List<Variable> parameters) {
        int n = parameters.size();
        long[] offsets = new long[n];
        long[] sizes = new long[n];
        long next = 0;
        for (int i = 0; i < n; i++) {
            offsets[i] = next;
            sizes[i] = parameters.get(i).shape().size();
            next = Math.addExact(next, roundUp(sizes[i]));
        }
        return new FlatLayout(offsets, sizes, next);
    }

    private static long roundUp(long size) {
        return (size + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Elements per Monte-Carlo sample (every parameter, with padding). */
    long stride() {
        return stride;
    }

    /** Elements of the flat vector for {@code samples} samples. */
    long total(int samples) {
        return Math.multiplyExact(stride, (long) samples);
    }

    /** Where parameter {@code index} starts in sample {@code sample}. */
    long start(int index, int sample) {
        return sample * stride + offsets[index];
    }

    /**
     * The draws of parameter {@code index} at {@code sample}: a slice of {@code flat} (a vector of
     * {@link #total} elements) reshaped to the parameter's shape.
     */
    Tensor slice(Ops ops, Tensor flat, List<Variable> parameters, int index, int sample) {
        Variable p = parameters.get(index);
        Tensor part = ops.slice(flat, new long[] {start(index, sample)}, new long[] {sizes[index]});
        return ops.reshape(part, p.shape().dims());
    }

    /** Every parameter's draws at every sample, {@code result.get(sample).get(index)}. */
    List<List<Tensor>> split(Ops ops, Tensor flat, List<Variable> parameters, int samples) {
        List<List<Tensor>> all = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            List<Tensor> sample = new ArrayList<>(parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                sample.add(slice(ops, flat, parameters, i, s));
            }
            all.add(sample);
        }
        return all;
    }
}
