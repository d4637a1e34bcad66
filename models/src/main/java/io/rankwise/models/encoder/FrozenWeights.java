package io.rankwise.models.encoder;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.models.weights.NamedArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An encoder's pretrained tensors as frozen variables on its backend, by checkpoint name, in the
 * order they were uploaded: what every encoder family keeps and reads in its forward pass.
 */
public final class FrozenWeights {
    private final Backend backend;
    private final String prefix;
    private final DType dtype;
    private final Map<String, Variable> byName = new LinkedHashMap<>();

    /**
     * @param prefix a name prefix for the variables, unique per model on the backend
     * @param dtype the dtype the variables hold
     */
    public FrozenWeights(Backend backend, String prefix, DType dtype) {
        this.backend = backend;
        this.prefix = prefix;
        this.dtype = dtype;
    }

    /**
     * Uploads one pretrained tensor as a frozen variable named {@code prefix + name}, from its
     * float32 values: a {@code double[]} copy would double the host memory of the largest tensors
     * (MiniLM's word embeddings are 47 MB as floats). A linear layer's weight, stored [out, in] by
     * Hugging Face, is uploaded transposed to [in, out] when {@code transposeLinear}.
     */
    public void upload(NamedArray array, boolean transposeLinear) {
        NamedArray a = transposeLinear ? array.transpose2d() : array;
        byName.put(
                array.name(),
                backend.variable(
                        prefix + array.name(), a.data(), Shape.of(a.shape()), dtype, false));
    }

    /**
     * The value of the weight {@code name} in {@code ops}' computation.
     *
     * @throws IllegalStateException when no weight of that name was uploaded
     */
    public Tensor read(Ops ops, String name) {
        Variable v = byName.get(name);
        if (v == null) {
            throw new IllegalStateException("the encoder has no weight " + name);
        }
        return ops.read(v);
    }

    /** The variables by checkpoint name, in upload order; read-only. */
    public Map<String, Variable> asMap() {
        return Collections.unmodifiableMap(byName);
    }
}
