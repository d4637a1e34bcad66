package io.rankwise.backend.tensorflow;

import io.rankwise.api.Shape;

/** Converts shapes between Rankwise and TensorFlow. */
final class Shapes {
    private Shapes() {}

    static org.tensorflow.ndarray.Shape toTf(Shape shape) {
        return org.tensorflow.ndarray.Shape.of(shape.dims());
    }

    /**
     * The Rankwise shape of a TensorFlow shape, which must be fully known. Traces feed placeholders
     * of fully defined shapes and every op takes its shape arguments as constants, so shape
     * inference always knows them; an unknown dimension means an op this backend cannot describe.
     */
    static Shape fromTf(org.tensorflow.ndarray.Shape shape, String what) {
        if (shape.isUnknown() || shape.hasUnknownDimension()) {
            throw new IllegalStateException(
                    "tensorflow: the shape of "
                            + what
                            + " is not known statically ("
                            + shape
                            + ")");
        }
        return Shape.of(shape.asArray());
    }
}
