package io.rankwise.models.weights;

/** Conversions from 16-bit floats (IEEE half and bfloat16) to float32; Java 17 has neither. */
final class HalfFloats {
    private HalfFloats() {}

    /** IEEE 754 binary16 → float32, exact, including subnormals, infinities and NaN. */
    static float fromHalf(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            // Infinity or NaN: widen the mantissa so NaN payloads survive.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: value = mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** bfloat16 → float32: the upper half of a float32's bits. */
    static float fromBfloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
