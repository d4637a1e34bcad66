package io.rankwise.api;

/** Element types a {@link Tensor} can hold. Floating types take part in differentiation. */
public enum DType {
    FLOAT32(4, true),
    FLOAT64(8, true),
    INT32(4, false),
    INT64(8, false),
    BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether values are floating point (and so differentiable). */
    public boolean isFloating() {
        return floating;
    }

    /** Whether values are integers (usable as indices). */
    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    /**
     * Parses a type name such as {@code float32}, {@code f64} or {@code int64}.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DType parse(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32":
            case "f32":
            case "float":
                return FLOAT32;
            case "float64":
            case "f64":
            case "double":
                return FLOAT64;
            case "int32":
            case "i32":
            case "int":
                return INT32;
            case "int64":
            case "i64":
            case "long":
                return INT64;
            case "bool":
            case "boolean":
                return BOOL;
            default:
                throw new IllegalArgumentException(
                        "dtype '"
                                + name
                                + "' is not known; accepted: float32, float64, int32, int64, bool");
        }
    }
}
