package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import org.tensorflow.proto.DataType;

/** Maps Rankwise element types to TensorFlow's and back. */
final class DTypes {
    private DTypes() {}

    /** TensorFlow's data type for {@code dtype}. */
    static DataType toTf(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return DataType.DT_FLOAT;
            case FLOAT64:
                return DataType.DT_DOUBLE;
            case INT32:
                return DataType.DT_INT32;
            case INT64:
                return DataType.DT_INT64;
            case BOOL:
                return DataType.DT_BOOL;
            default:
                throw new IllegalArgumentException(
                        "tensorflow: dtype " + dtype + " is not supported");
        }
    }

    /**
     * The Rankwise type for a TensorFlow data type.
     *
     * @throws UnsupportedOperationException for types Rankwise does not have (strings, halves, ...)
     */
    static DType fromTf(DataType type) {
        switch (type) {
            case DT_FLOAT:
                return DType.FLOAT32;
            case DT_DOUBLE:
                return DType.FLOAT64;
            case DT_INT32:
                return DType.INT32;
            case DT_INT64:
                return DType.INT64;
            case DT_BOOL:
                return DType.BOOL;
            default:
                throw new UnsupportedOperationException(
                        "tensorflow: the graph produced a "
                                + type
                                + " tensor, which Rankwise has no dtype for (float32, float64, int32, int64, bool)");
        }
    }
}
