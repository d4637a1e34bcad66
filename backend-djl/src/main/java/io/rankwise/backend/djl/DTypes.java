package io.rankwise.backend.djl;

import ai.djl.ndarray.types.DataType;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;

/** Translations between Rankwise's {@link DType}/{@link Shape} and DJL's types. */
final class DTypes {
    private DTypes() {}

    /** The DJL data type of a Rankwise dtype. */
    static DataType toDjl(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return DataType.FLOAT32;
            case FLOAT64:
                return DataType.FLOAT64;
            case INT32:
                return DataType.INT32;
            case INT64:
                return DataType.INT64;
            case BOOL:
                return DataType.BOOLEAN;
            default:
                throw new IllegalArgumentException(
                        "djl: dtype " + dtype + " has no DJL equivalent");
        }
    }

    /**
     * The Rankwise dtype of a DJL data type.
     *
     * @throws UnsupportedOperationException for DJL types Rankwise does not model (float16, uint8,
     *     ...)
     */
    static DType fromDjl(DataType type) {
        switch (type) {
            case FLOAT32:
                return DType.FLOAT32;
            case FLOAT64:
                return DType.FLOAT64;
            case INT32:
                return DType.INT32;
            case INT64:
                return DType.INT64;
            case BOOLEAN:
                return DType.BOOL;
            default:
                throw new UnsupportedOperationException(
                        "djl: the engine produced a "
                                + type
                                + " array, which Rankwise does not support (float32, float64, int32, int64, bool)");
        }
    }

    /** The DJL shape of a Rankwise shape. */
    static ai.djl.ndarray.types.Shape toDjl(Shape shape) {
        return new ai.djl.ndarray.types.Shape(shape.dims());
    }

    /** The Rankwise shape of a DJL shape. */
    static Shape fromDjl(ai.djl.ndarray.types.Shape shape) {
        return Shape.of(shape.getShape());
    }
}
