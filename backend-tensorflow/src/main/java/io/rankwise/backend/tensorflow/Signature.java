package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The shapes and dtypes of a call's inputs: a compiled function keeps one traced graph per
 * signature.
 *
 * @param shapes the input shapes, in order
 * @param dtypes the input dtypes, in order
 */
record Signature(List<Shape> shapes, List<DType> dtypes) {

    /** The signature of {@code inputs}. */
    static Signature of(List<Tensor> inputs) {
        List<Shape> shapes = new ArrayList<>(inputs.size());
        List<DType> dtypes = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            shapes.add(t.shape());
            dtypes.add(t.dtype());
        }
        return new Signature(List.copyOf(shapes), List.copyOf(dtypes));
    }

    /** Whether {@code inputs} have this signature; allocates nothing (checked on every call). */
    boolean matches(List<Tensor> inputs) {
        if (inputs.size() != shapes.size()) {
            return false;
        }
        for (int i = 0; i < shapes.size(); i++) {
            Tensor t = inputs.get(i);
            if (t.dtype() != dtypes.get(i) || !t.shape().equals(shapes.get(i))) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return shapes.size();
    }
}
