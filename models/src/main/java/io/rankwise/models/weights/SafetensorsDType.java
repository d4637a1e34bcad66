package io.rankwise.models.weights;

/** The element types of the safetensors format, with their sizes in bytes. */
public enum SafetensorsDType {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, false),
    F8_E4M3(1, false),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    I64(8, false),
    U64(8, false),
    F64(8, true);

    private final int size;
    private final boolean readableAsFloat;

    SafetensorsDType(int size, boolean readableAsFloat) {
        this.size = size;
        this.readableAsFloat = readableAsFloat;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether {@link SafetensorsReader#read} can convert it to float32 (F16, BF16, F32, F64). */
    public boolean readableAsFloat() {
        return readableAsFloat;
    }
}
